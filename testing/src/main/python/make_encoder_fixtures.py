#!/usr/bin/env python3
"""Reference fixtures for Rankwise's Hugging Face encoder loaders.

Writes, for each encoder family, a folder in the Hugging Face layout
(config.json, model.safetensors, tokenizer.json) plus reference.json holding
the token ids and the float32 outputs (last_hidden_state and the
sequence-classification logits) for a handful of inputs:

    testing/src/main/resources/io/rankwise/testing/encoders/<name>/

Run from the repository root:

    python3 testing/src/main/python/make_encoder_fixtures.py

Needs only Python 3, numpy and PyTorch (written against Debian's python3-torch
1.13 and numpy 1.24). It does NOT use `transformers`, `tokenizers` or
`safetensors`: the models, the three tokenizers and the safetensors writer are
re-implemented here, and shares no code with the Java project.

Specification followed (read, not imported):
  huggingface/transformers, upstream commit
  d6a6c82680cba9c51decdacac6dd6315ea4a766a (2025-12-23, main, version string
  "5.0.0.dev0"):
    src/transformers/models/deberta_v2/modeling_deberta_v2.py
    src/transformers/models/deberta_v2/configuration_deberta_v2.py
    src/transformers/models/deberta_v2/tokenization_deberta_v2.py
    src/transformers/models/roberta/modeling_roberta.py
    src/transformers/models/roberta/configuration_roberta.py
    src/transformers/models/bert/modeling_bert.py
    src/transformers/models/bert/configuration_bert.py
    src/transformers/masking_utils.py, configuration_utils.py, activations.py
  (The full huggingface/transformers snapshot was too large to fetch here; the
  files were read at that upstream commit from the history of a fork that
  contains it unchanged, feisenyu/transformers_4573.)
  huggingface/tokenizers, commit 3ba8ad0061a885baf052bbb7bbd22857e73e0c4e
  (0.23.2-dev.0): JSON formats of Unigram/BPE/WordPiece, Metaspace, ByteLevel,
  BertNormalizer, TemplateProcessing, RobertaProcessing; Unigram
  encode_optimized (Viterbi) and BPE Word::merge_all (rank, then position).

Every class and attribute below keeps HF's module name, so that state_dict()
yields HF's exact parameter keys; the keys are also asserted against explicit
lists.

Self-checks (all must pass or the script aborts):
  * an independent float64 numpy re-implementation of every model, with
    attention written as explicit Python loops over (batch, head, i, j); for
    DeBERTa it evaluates the log-bucket formula directly with math.log/ceil per
    (i, j) pair (the same formula HF used in numpy until mid-2022) and gathers
    c2p / p2c terms by hand; agreement to 1e-5 on last_hidden_state and logits;
  * the float32 torch bucket computation equals the float64 one for every
    relative position up to +-64 (so the fixtures do not depend on which HF
    version's arithmetic is used);
  * each tokenizer's output equals the token sequence written down by hand;
  * model.safetensors is read back by a separate reader and compared.
"""

import hashlib
import json
import math
import os
import re
import struct
import sys
import unicodedata
from collections import OrderedDict

import numpy as np
import torch
from torch import nn

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)

HF_COMMIT = "d6a6c82680cba9c51decdacac6dd6315ea4a766a"
HF_VERSION = "5.0.0.dev0"
TOKENIZERS_COMMIT = "3ba8ad0061a885baf052bbb7bbd22857e73e0c4e"

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
OUT_ROOT = os.path.join(
    REPO_ROOT, "testing", "src", "main", "resources", "io", "rankwise", "testing", "encoders")

LABELS = ["negative", "neutral", "positive"]
FLOAT32_MIN = float(np.finfo(np.float32).min)

# --------------------------------------------------------------------------------------
# Test texts (shared by all families)
# --------------------------------------------------------------------------------------
T1 = "The cat sat on the mat."
T2 = "An unbelievable zebra sat on the warm mat near the big red door, and the small cat ran away."
T3 = "A cat ran."
PAIR_B = "Was the cat unbelievable?"

# Each case is one call tokenizer(text, text_pair, padding=True) followed by one forward pass.
CASES = [
    dict(name="single_short", text=[T1], text_pair=None,
         description="One sentence, no padding."),
    dict(name="single_long", text=[T2], text_pair=None,
         description="One longer sentence with a word split into three sub-word pieces "
                     "('unbelievable') and a word outside the word vocabulary ('zebra')."),
    dict(name="pair", text=[T1], text_pair=[PAIR_B],
         description="A sentence pair (second segment has token_type_id 1 where the family uses "
                     "segment ids); the split word sits in the second segment."),
    dict(name="padded_batch", text=[T1, T2, T3], text_pair=None,
         description="Three sentences batched and right-padded with the pad id to the longest "
                     "(attention_mask 0 and token_type_id 0 on padding)."),
]
# DeBERTa only: longer than max_position_embeddings (allowed: DeBERTa-v3 has no absolute
# positions), so relative buckets +-8 occur and the c2p/p2c index clamp is exercised.
DEBERTA_EXTRA_CASES = [
    dict(name="long_beyond_max_position", text=[T2 + " " + T1], text_pair=None,
         description="DeBERTa only: 37 tokens, longer than max_position_embeddings (32). The log "
                     "buckets reach +-8, so torch.clamp(bucket + att_span, 0, 2*att_span - 1) in "
                     "c2p/p2c maps to the first/last rel_embeddings row."),
]


# ======================================================================================
# Small helpers
# ======================================================================================

def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        h.update(f.read())
    return h.hexdigest()


def f32_list(arr):
    """Shortest decimal strings that round-trip each float32 value, as JSON numbers."""
    out = []
    for v in np.asarray(arr, dtype=np.float32).reshape(-1):
        s = str(v)  # numpy prints the shortest round-trip representation of a float32
        x = float(s)
        assert np.float32(x) == v, (s, v)
        out.append(x)
    return out


def tensor_json(t):
    a = t.detach().cpu().numpy().astype(np.float32)
    return OrderedDict([("shape", list(a.shape)), ("data", f32_list(a))])


def dump_json(obj, path, compact_scalar_lists=True):
    """Indented JSON in which lists of scalars stay on one line (keeps files small/diffable)."""

    def enc(o, ind):
        pad = " " * ind
        if isinstance(o, dict):
            if not o:
                return "{}"
            items = [pad + " " + json.dumps(k, ensure_ascii=False) + ": " + enc(v, ind + 1) for k, v in o.items()]
            return "{\n" + ",\n".join(items) + "\n" + pad + "}"
        if isinstance(o, (list, tuple)):
            if compact_scalar_lists and all(not isinstance(x, (dict, list, tuple)) for x in o):
                return json.dumps(list(o), ensure_ascii=False, separators=(",", ":"))
            if compact_scalar_lists and all(isinstance(x, (list, tuple)) and
                                            all(not isinstance(y, (dict, list, tuple)) for y in x) for x in o):
                return "[" + ",".join(json.dumps(list(x), ensure_ascii=False, separators=(",", ":")) for x in o) + "]"
            if not o:
                return "[]"
            items = [pad + " " + enc(v, ind + 1) for v in o]
            return "[\n" + ",\n".join(items) + "\n" + pad + "]"
        return json.dumps(o, ensure_ascii=False)

    with open(path, "w", encoding="utf-8") as f:
        f.write(enc(obj, 0))
        f.write("\n")


def write_plain_json(obj, path):
    """config.json / tokenizer.json: indent=2, sorted as given, UTF-8 (what HF's writers do)."""
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(obj, indent=2, ensure_ascii=False))
        f.write("\n")


# ======================================================================================
# safetensors: a minimal writer and an independent reader
# ======================================================================================

def write_safetensors(path, tensors):
    """tensors: dict name -> float32 numpy array.

    Format: 8-byte little-endian u64 header length N, then N bytes of JSON
    {"__metadata__": {"format": "pt"}, name: {"dtype": "F32", "shape": [...],
    "data_offsets": [begin, end]}, ...} padded with spaces to a multiple of 8,
    then the raw little-endian data (offsets relative to the end of the header).
    """
    names = sorted(tensors)
    header = OrderedDict()
    header["__metadata__"] = OrderedDict([("format", "pt")])
    blobs = []
    offset = 0
    for name in names:
        a = np.ascontiguousarray(tensors[name], dtype="<f4")
        b = a.tobytes(order="C")
        header[name] = OrderedDict([("dtype", "F32"), ("shape", list(a.shape)),
                                    ("data_offsets", [offset, offset + len(b)])])
        blobs.append(b)
        offset += len(b)
    hjson = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hjson += b" " * ((8 - len(hjson) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hjson)))
        f.write(hjson)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    assert n % 8 == 0
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    assert header.pop("__metadata__") == {"format": "pt"}
    data = raw[8 + n:]
    out = {}
    end_max = 0
    for name, info in header.items():
        assert info["dtype"] == "F32"
        b, e = info["data_offsets"]
        arr = np.frombuffer(data[b:e], dtype="<f4").reshape(info["shape"])
        out[name] = arr
        end_max = max(end_max, e)
    assert end_max == len(data)
    return out


# ======================================================================================
# Tokenizers (independent implementations of what HF `tokenizers` does for these files)
# ======================================================================================

def added_token(i, content, lstrip=False, normalized=False):
    return OrderedDict([("id", i), ("content", content), ("single_word", False), ("lstrip", lstrip),
                        ("rstrip", False), ("normalized", normalized), ("special", True)])


def template_processing(cls_tok, cls_id, sep_tok, sep_id):
    def sp(tok, t):
        return {"SpecialToken": OrderedDict([("id", tok), ("type_id", t)])}

    def sq(name, t):
        return {"Sequence": OrderedDict([("id", name), ("type_id", t)])}

    return OrderedDict([
        ("type", "TemplateProcessing"),
        ("single", [sp(cls_tok, 0), sq("A", 0), sp(sep_tok, 0)]),
        ("pair", [sp(cls_tok, 0), sq("A", 0), sp(sep_tok, 0), sq("B", 1), sp(sep_tok, 1)]),
        ("special_tokens", OrderedDict([
            (cls_tok, OrderedDict([("id", cls_tok), ("ids", [cls_id]), ("tokens", [cls_tok])])),
            (sep_tok, OrderedDict([("id", sep_tok), ("ids", [sep_id]), ("tokens", [sep_tok])])),
        ])),
    ])


class UnigramTokenizer:
    """DeBERTa-v3 style: Unigram model, Metaspace pre-tokenizer, TemplateProcessing.

    Pipeline as tokenizers runs it for the tokenizer.json written below:
      normalizer  Sequence[Replace(/\\s{2,}|[\\n\\r\\t]/ -> " "), NFC, Strip(right)]
                  (what transformers' DebertaV2Tokenizer builds at the commit followed,
                   minus the optional Lowercase; identity on the test texts)
      pre-tok     Metaspace(replacement "▁", prepend_scheme "always", split true):
                  spaces -> "▁", "▁" prepended, split before every "▁"
      model       Unigram Viterbi over each piece (tokenizers' encode_optimized: best
                  total score, unknown single chars scored min_score - 10, fused unk)
      post        [CLS] A [SEP]  /  [CLS] A [SEP] B [SEP] (type ids 0 / 0 then 1)
    Assumptions: texts contain no added-token strings; no score ties (asserted).
    """

    def __init__(self, vocab, unk_id):
        self.vocab = vocab  # list of (piece, score)
        self.ids = {p: i for i, (p, _) in enumerate(vocab)}
        self.unk_id = unk_id
        self.min_score = min(s for _, s in vocab)

    @staticmethod
    def normalize(text):
        text = re.sub(r"\s{2,}|[\n\r\t]", " ", text)
        text = unicodedata.normalize("NFC", text)
        return text.rstrip()

    @staticmethod
    def pre_tokenize(text):
        s = text.replace(" ", "\u2581")
        if not s.startswith("\u2581"):
            s = "\u2581" + s
        pieces = []
        cur = ""
        for ch in s:
            if ch == "\u2581" and cur:
                pieces.append(cur)
                cur = ""
            cur += ch
        if cur:
            pieces.append(cur)
        return pieces

    def viterbi(self, piece):
        n = len(piece)
        best = [None] * (n + 1)  # (score, start, id)
        best[0] = (0.0, None, None)
        unk_score = self.min_score - 10.0
        for start in range(n):
            if best[start] is None:
                continue
            base = best[start][0]
            has_single = False
            for end in range(start + 1, n + 1):
                sub = piece[start:end]
                if sub in self.ids:
                    cand = base + self.vocab[self.ids[sub]][1]
                    if best[end] is None or cand > best[end][0]:
                        best[end] = (cand, start, self.ids[sub])
                    elif cand == best[end][0]:
                        raise AssertionError("Unigram score tie in %r; choose other scores" % piece)
                    if end == start + 1:
                        has_single = True
            if not has_single:
                cand = base + unk_score
                if best[start + 1] is None or cand > best[start + 1][0]:
                    best[start + 1] = (cand, start, self.unk_id)
        out = []
        end = n
        while end > 0:
            _, start, tid = best[end]
            if tid == self.unk_id and out and out[-1][1] == self.unk_id:
                out[-1] = (piece[start:end] + out[-1][0], tid)  # fuse consecutive unknowns
            else:
                out.append((piece[start:end], tid))
            end = start
        return list(reversed(out))

    def encode_text(self, text):
        toks = []
        for p in self.pre_tokenize(self.normalize(text)):
            toks.extend(self.viterbi(p))
        return toks

    def encode(self, a, b=None):
        cls, sep = ("[CLS]", self.ids["[CLS]"]), ("[SEP]", self.ids["[SEP]"])
        ta = self.encode_text(a)
        toks = [cls] + ta + [sep]
        types = [0] * len(toks)
        if b is not None:
            tb = self.encode_text(b) + [sep]
            toks += tb
            types += [1] * len(tb)
        return [t for t, _ in toks], [i for _, i in toks], types


def bytes_to_unicode():
    """GPT-2's reversible byte -> printable unicode character map (ByteLevel)."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + \
        list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


BYTE_ENCODER = bytes_to_unicode()
# GPT-2 split pattern 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
# restricted to ASCII (asserted), where \p{L} = [A-Za-z] and \p{N} = [0-9].
GPT2_ASCII_SPLIT = re.compile(r"'s|'t|'re|'ve|'m|'ll|'d| ?[A-Za-z]+| ?[0-9]+| ?[^\sA-Za-z0-9]+|\s+(?!\S)|\s+")


class ByteLevelBPETokenizer:
    """RoBERTa style: ByteLevel pre-tokenizer (add_prefix_space false, GPT-2 regex), BPE with
    ranked merges (tokenizers' Word::merge_all: repeatedly merge the adjacent pair of lowest
    rank, leftmost first), RobertaProcessing (<s> A </s>, <s> A </s></s> B </s>, type ids 0).
    Assumption: ASCII texts without added-token strings (asserted)."""

    def __init__(self, vocab, merges):
        self.vocab = vocab  # token -> id
        self.ranks = {tuple(m): r for r, m in enumerate(merges)}

    def bpe(self, word):
        syms = list(word)
        while len(syms) > 1:
            best = None
            for pos in range(len(syms) - 1):
                r = self.ranks.get((syms[pos], syms[pos + 1]))
                if r is not None and (best is None or r < best[0]):
                    best = (r, pos)
            if best is None:
                break
            _, pos = best
            syms[pos:pos + 2] = [syms[pos] + syms[pos + 1]]
        return syms

    def encode_text(self, text):
        assert all(ord(c) < 128 for c in text), "ASCII-only test texts assumed by the regex"
        out = []
        for w in GPT2_ASCII_SPLIT.findall(text):
            mapped = "".join(BYTE_ENCODER[b] for b in w.encode("utf-8"))
            for t in self.bpe(mapped):
                out.append((t, self.vocab[t]))
        return out

    def encode(self, a, b=None):
        s, e = ("<s>", self.vocab["<s>"]), ("</s>", self.vocab["</s>"])
        toks = [s] + self.encode_text(a) + [e]
        if b is not None:
            toks += [e] + self.encode_text(b) + [e]
        return [t for t, _ in toks], [i for _, i in toks], [0] * len(toks)


def _is_bert_punct(ch):
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


class WordPieceTokenizer:
    """BERT style: BertNormalizer(clean_text, handle_chinese_chars, strip_accents=None ->
    follows lowercase, lowercase), BertPreTokenizer (split on whitespace, isolate
    punctuation), WordPiece greedy longest-match-first with '##' continuation (a word with
    any unmatched remainder becomes a single [UNK]; max 100 chars per word),
    TemplateProcessing [CLS] A [SEP] / [CLS] A [SEP] B [SEP] with type ids 0/1.
    Assumption: no CJK / control characters in the texts (asserted)."""

    def __init__(self, vocab):
        self.vocab = vocab

    @staticmethod
    def normalize(text):
        for ch in text:
            assert not unicodedata.category(ch).startswith("C") or ch in "\t\n\r"
            assert not (0x4E00 <= ord(ch) <= 0x9FFF)
        text = "".join(" " if ch in "\t\n\r" or unicodedata.category(ch) == "Zs" else ch for ch in text)
        text = unicodedata.normalize("NFD", text.lower())
        return "".join(ch for ch in text if unicodedata.category(ch) != "Mn")

    @staticmethod
    def pre_tokenize(text):
        words = []
        for chunk in text.split():
            cur = ""
            for ch in chunk:
                if _is_bert_punct(ch):
                    if cur:
                        words.append(cur)
                        cur = ""
                    words.append(ch)
                else:
                    cur += ch
            if cur:
                words.append(cur)
        return words

    def wordpiece(self, word):
        if len(word) > 100:
            return ["[UNK]"]
        out = []
        start = 0
        while start < len(word):
            end = len(word)
            found = None
            while start < end:
                sub = word[start:end]
                if start > 0:
                    sub = "##" + sub
                if sub in self.vocab:
                    found = sub
                    break
                end -= 1
            if found is None:
                return ["[UNK]"]
            out.append(found)
            start = end
        return out

    def encode_text(self, text):
        toks = []
        for w in self.pre_tokenize(self.normalize(text)):
            toks.extend(self.wordpiece(w))
        return [(t, self.vocab[t]) for t in toks]

    def encode(self, a, b=None):
        c, s = ("[CLS]", self.vocab["[CLS]"]), ("[SEP]", self.vocab["[SEP]"])
        toks = [c] + self.encode_text(a) + [s]
        types = [0] * len(toks)
        if b is not None:
            tb = self.encode_text(b) + [s]
            toks += tb
            types += [1] * len(tb)
        return [t for t, _ in toks], [i for _, i in toks], types


def batch_encode(tok, case, pad_id):
    """tokenizer(text, text_pair, padding=True): right padding with pad id, mask 0, type 0."""
    rows = []
    for k, a in enumerate(case["text"]):
        b = case["text_pair"][k] if case["text_pair"] is not None else None
        rows.append(tok.encode(a, b))
    L = max(len(r[1]) for r in rows)
    tokens, ids, mask, types = [], [], [], []
    for t, i, ty in rows:
        n = len(i)
        tokens.append(t)
        ids.append(i + [pad_id] * (L - n))
        mask.append([1] * n + [0] * (L - n))
        types.append(ty + [0] * (L - n))
    return tokens, ids, mask, types


# ======================================================================================
# Models: PyTorch re-implementation following HF's modeling code (names kept)
# ======================================================================================

def gelu(x):
    # ACT2FN["gelu"] = GELUActivation -> torch.nn.functional.gelu (exact erf form)
    return nn.functional.gelu(x)


# ---------------------------------------------------------------- DeBERTa-v2 / v3 ----

def make_log_bucket_position(relative_pos, bucket_size: int, max_position: int):
    # modeling_deberta_v2.py make_log_bucket_position (torch float32 since #18272, Aug 2022;
    # numpy float64 before). The config here keeps both in agreement (check_buckets).
    sign = torch.sign(relative_pos)
    mid = bucket_size // 2
    abs_pos = torch.where(
        (relative_pos < mid) & (relative_pos > -mid),
        torch.tensor(mid - 1).type_as(relative_pos),
        torch.abs(relative_pos),
    )
    log_pos = (
        torch.ceil(torch.log(abs_pos / mid) / torch.log(torch.tensor((max_position - 1) / mid)) * (mid - 1)) + mid
    )
    bucket_pos = torch.where(abs_pos <= mid, relative_pos.type_as(log_pos), log_pos * sign)
    return bucket_pos


def build_relative_position(query_layer, key_layer, bucket_size: int = -1, max_position: int = -1):
    query_size = query_layer.size(-2)
    key_size = key_layer.size(-2)
    q_ids = torch.arange(query_size, dtype=torch.long)
    k_ids = torch.arange(key_size, dtype=torch.long)
    rel_pos_ids = q_ids[:, None] - k_ids[None, :]
    if bucket_size > 0 and max_position > 0:
        rel_pos_ids = make_log_bucket_position(rel_pos_ids, bucket_size, max_position)
    rel_pos_ids = rel_pos_ids.to(torch.long)
    rel_pos_ids = rel_pos_ids[:query_size, :]
    rel_pos_ids = rel_pos_ids.unsqueeze(0)
    return rel_pos_ids


def scaled_size_sqrt(query_layer, scale_factor: int):
    return torch.sqrt(torch.tensor(query_layer.size(-1), dtype=torch.float) * scale_factor)


def build_rpos(query_layer, key_layer, relative_pos, position_buckets: int, max_relative_positions: int):
    # NB: HF calls this as build_rpos(q, k, relative_pos, self.max_relative_positions,
    # self.position_buckets), i.e. with the last two arguments swapped relative to the
    # signature. It only matters when key length != query length, never in self-attention.
    if key_layer.size(-2) != query_layer.size(-2):
        return build_relative_position(key_layer, key_layer, bucket_size=position_buckets,
                                       max_position=max_relative_positions)
    return relative_pos


class DebertaV2Embeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embedding_size = c.get("embedding_size", c["hidden_size"])
        self.word_embeddings = nn.Embedding(c["vocab_size"], self.embedding_size, padding_idx=c["pad_token_id"])
        self.position_biased_input = c["position_biased_input"]
        assert not self.position_biased_input  # deberta-v3: no absolute position embeddings
        self.position_embeddings = None
        assert c["type_vocab_size"] == 0  # deberta-v3: no token type embeddings
        self.token_type_embeddings = None
        assert self.embedding_size == c["hidden_size"]  # -> no embed_proj
        self.embed_proj = None
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], c["layer_norm_eps"])
        # non-persistent in HF: not saved
        self.register_buffer("position_ids", torch.arange(c["max_position_embeddings"]).expand((1, -1)),
                             persistent=False)

    def forward(self, input_ids, token_type_ids, mask):
        inputs_embeds = self.word_embeddings(input_ids)
        position_embeddings = torch.zeros_like(inputs_embeds)  # position_embeddings is None
        embeddings = inputs_embeds
        if self.position_biased_input:
            embeddings = embeddings + position_embeddings
        # token_type_embeddings is None: token_type_ids are ignored
        embeddings = self.LayerNorm(embeddings)
        if mask is not None:
            if mask.dim() != embeddings.dim():
                if mask.dim() == 4:
                    mask = mask.squeeze(1).squeeze(1)
                mask = mask.unsqueeze(2)
            mask = mask.to(embeddings.dtype)
            embeddings = embeddings * mask
        return embeddings


class DisentangledSelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.num_attention_heads = c["num_attention_heads"]
        self.attention_head_size = c["hidden_size"] // c["num_attention_heads"]
        self.all_head_size = self.num_attention_heads * self.attention_head_size
        h = c["hidden_size"]
        self.query_proj = nn.Linear(h, self.all_head_size, bias=True)
        self.key_proj = nn.Linear(h, self.all_head_size, bias=True)
        self.value_proj = nn.Linear(h, self.all_head_size, bias=True)
        self.share_att_key = c.get("share_att_key", False)
        self.pos_att_type = c["pos_att_type"] if c["pos_att_type"] is not None else []
        self.relative_attention = c.get("relative_attention", False)
        assert self.relative_attention
        self.position_buckets = c.get("position_buckets", -1)
        self.max_relative_positions = c.get("max_relative_positions", -1)
        if self.max_relative_positions < 1:
            self.max_relative_positions = c["max_position_embeddings"]
        self.pos_ebd_size = self.max_relative_positions
        if self.position_buckets > 0:
            self.pos_ebd_size = self.position_buckets
        if not self.share_att_key:
            if "c2p" in self.pos_att_type:
                self.pos_key_proj = nn.Linear(h, self.all_head_size, bias=True)
            if "p2c" in self.pos_att_type:
                self.pos_query_proj = nn.Linear(h, self.all_head_size)
        self.legacy_xsoftmax = False  # True: zero fully-masked rows after softmax (HF < v4.47)

    def transpose_for_scores(self, x, attention_heads):
        new_x_shape = x.size()[:-1] + (attention_heads, -1)
        x = x.view(new_x_shape)
        return x.permute(0, 2, 1, 3).contiguous().view(-1, x.size(1), x.size(-1))

    def forward(self, hidden_states, attention_mask, relative_pos, rel_embeddings):
        query_states = hidden_states
        query_layer = self.transpose_for_scores(self.query_proj(query_states), self.num_attention_heads)
        key_layer = self.transpose_for_scores(self.key_proj(hidden_states), self.num_attention_heads)
        value_layer = self.transpose_for_scores(self.value_proj(hidden_states), self.num_attention_heads)

        scale_factor = 1
        if "c2p" in self.pos_att_type:
            scale_factor += 1
        if "p2c" in self.pos_att_type:
            scale_factor += 1
        scale = scaled_size_sqrt(query_layer, scale_factor)
        # HF divides the transposed KEY by the scale before the bmm (since #24116, June 2023;
        # before, the product was divided afterwards - same value up to rounding)
        attention_scores = torch.bmm(query_layer, key_layer.transpose(-1, -2) / scale.to(dtype=query_layer.dtype))
        rel_att = self.disentangled_attention_bias(query_layer, key_layer, relative_pos, rel_embeddings, scale_factor)
        attention_scores = attention_scores + rel_att
        attention_scores = attention_scores.view(
            -1, self.num_attention_heads, attention_scores.size(-2), attention_scores.size(-1))

        attention_mask = attention_mask.bool()
        attention_scores = attention_scores.masked_fill(~attention_mask, torch.finfo(query_layer.dtype).min)
        attention_probs = nn.functional.softmax(attention_scores, dim=-1)
        if self.legacy_xsoftmax:
            attention_probs = attention_probs.masked_fill(~attention_mask, 0)
        context_layer = torch.bmm(attention_probs.view(-1, attention_probs.size(-2), attention_probs.size(-1)),
                                  value_layer)
        context_layer = (context_layer.view(-1, self.num_attention_heads, context_layer.size(-2),
                                            context_layer.size(-1)).permute(0, 2, 1, 3).contiguous())
        new_context_layer_shape = context_layer.size()[:-2] + (-1,)
        return context_layer.view(new_context_layer_shape)

    def disentangled_attention_bias(self, query_layer, key_layer, relative_pos, rel_embeddings, scale_factor):
        if relative_pos.dim() == 2:
            relative_pos = relative_pos.unsqueeze(0).unsqueeze(0)
        elif relative_pos.dim() == 3:
            relative_pos = relative_pos.unsqueeze(1)
        att_span = self.pos_ebd_size
        relative_pos = relative_pos.to(dtype=torch.long)
        rel_embeddings = rel_embeddings[0: att_span * 2, :].unsqueeze(0)
        n_rep = query_layer.size(0) // self.num_attention_heads
        if self.share_att_key:
            pos_query_layer = self.transpose_for_scores(self.query_proj(rel_embeddings),
                                                        self.num_attention_heads).repeat(n_rep, 1, 1)
            pos_key_layer = self.transpose_for_scores(self.key_proj(rel_embeddings),
                                                      self.num_attention_heads).repeat(n_rep, 1, 1)
        else:
            if "c2p" in self.pos_att_type:
                pos_key_layer = self.transpose_for_scores(self.pos_key_proj(rel_embeddings),
                                                          self.num_attention_heads).repeat(n_rep, 1, 1)
            if "p2c" in self.pos_att_type:
                pos_query_layer = self.transpose_for_scores(self.pos_query_proj(rel_embeddings),
                                                            self.num_attention_heads).repeat(n_rep, 1, 1)
        score = 0
        if "c2p" in self.pos_att_type:
            scale = scaled_size_sqrt(pos_key_layer, scale_factor)
            c2p_att = torch.bmm(query_layer, pos_key_layer.transpose(-1, -2))
            c2p_pos = torch.clamp(relative_pos + att_span, 0, att_span * 2 - 1)
            c2p_att = torch.gather(
                c2p_att, dim=-1,
                index=c2p_pos.squeeze(0).expand([query_layer.size(0), query_layer.size(1), relative_pos.size(-1)]))
            score += c2p_att / scale.to(dtype=c2p_att.dtype)
        if "p2c" in self.pos_att_type:
            scale = scaled_size_sqrt(pos_query_layer, scale_factor)
            r_pos = build_rpos(query_layer, key_layer, relative_pos, self.max_relative_positions,
                               self.position_buckets)
            p2c_pos = torch.clamp(-r_pos + att_span, 0, att_span * 2 - 1)
            p2c_att = torch.bmm(key_layer, pos_query_layer.transpose(-1, -2))
            p2c_att = torch.gather(
                p2c_att, dim=-1,
                index=p2c_pos.squeeze(0).expand([query_layer.size(0), key_layer.size(-2), key_layer.size(-2)]),
            ).transpose(-1, -2)
            score += p2c_att / scale.to(dtype=p2c_att.dtype)
        return score


class DenseLayerNorm(nn.Module):
    """DebertaV2SelfOutput / DebertaV2Output / BertSelfOutput / BertOutput: dense, residual, LayerNorm."""

    def __init__(self, n_in, n_out, eps):
        super().__init__()
        self.dense = nn.Linear(n_in, n_out)
        self.LayerNorm = nn.LayerNorm(n_out, eps=eps)

    def forward(self, hidden_states, input_tensor):
        return self.LayerNorm(self.dense(hidden_states) + input_tensor)


class Intermediate(nn.Module):
    def __init__(self, c):
        super().__init__()
        assert c["hidden_act"] == "gelu"
        self.dense = nn.Linear(c["hidden_size"], c["intermediate_size"])

    def forward(self, x):
        return gelu(self.dense(x))


class DebertaV2Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.self = DisentangledSelfAttention(c)
        self.output = DenseLayerNorm(c["hidden_size"], c["hidden_size"], c["layer_norm_eps"])

    def forward(self, hidden_states, attention_mask, relative_pos, rel_embeddings):
        self_output = self.self(hidden_states, attention_mask, relative_pos, rel_embeddings)
        return self.output(self_output, hidden_states)


class DebertaV2Layer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attention = DebertaV2Attention(c)
        self.intermediate = Intermediate(c)
        self.output = DenseLayerNorm(c["intermediate_size"], c["hidden_size"], c["layer_norm_eps"])

    def forward(self, hidden_states, attention_mask, relative_pos, rel_embeddings):
        attention_output = self.attention(hidden_states, attention_mask, relative_pos, rel_embeddings)
        return self.output(self.intermediate(attention_output), attention_output)


class DebertaV2Encoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layer = nn.ModuleList([DebertaV2Layer(c) for _ in range(c["num_hidden_layers"])])
        self.max_relative_positions = c.get("max_relative_positions", -1)
        if self.max_relative_positions < 1:
            self.max_relative_positions = c["max_position_embeddings"]
        self.position_buckets = c.get("position_buckets", -1)
        pos_ebd_size = self.max_relative_positions * 2
        if self.position_buckets > 0:
            pos_ebd_size = self.position_buckets * 2
        self.rel_embeddings = nn.Embedding(pos_ebd_size, c["hidden_size"])
        self.norm_rel_ebd = [x.strip() for x in c.get("norm_rel_ebd", "none").lower().split("|")]
        assert "layer_norm" in self.norm_rel_ebd
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], c["layer_norm_eps"], elementwise_affine=True)
        assert c.get("conv_kernel_size", 0) == 0  # no ConvLayer in deberta-v3

    def get_rel_embedding(self):
        return self.LayerNorm(self.rel_embeddings.weight)

    @staticmethod
    def get_attention_mask(attention_mask):
        # [B, L] -> [B, 1, L, L] with m[b, 0, i, j] = mask[b, i] * mask[b, j]
        if attention_mask.dim() <= 2:
            extended_attention_mask = attention_mask.unsqueeze(1).unsqueeze(2)
            attention_mask = extended_attention_mask * extended_attention_mask.squeeze(-2).unsqueeze(-1)
        elif attention_mask.dim() == 3:
            attention_mask = attention_mask.unsqueeze(1)
        return attention_mask

    def forward(self, hidden_states, attention_mask):
        attention_mask = self.get_attention_mask(attention_mask)
        relative_pos = build_relative_position(hidden_states, hidden_states, bucket_size=self.position_buckets,
                                               max_position=self.max_relative_positions)
        rel_embeddings = self.get_rel_embedding()
        for layer_module in self.layer:
            hidden_states = layer_module(hidden_states, attention_mask, relative_pos, rel_embeddings)
        return hidden_states


class DebertaV2Model(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embeddings = DebertaV2Embeddings(c)
        self.encoder = DebertaV2Encoder(c)

    def forward(self, input_ids, attention_mask, token_type_ids):
        embedding_output = self.embeddings(input_ids, token_type_ids, attention_mask)
        return self.encoder(embedding_output, attention_mask)


class ContextPooler(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["pooler_hidden_size"], c["pooler_hidden_size"])
        assert c["pooler_hidden_act"] == "gelu"

    def forward(self, hidden_states):
        context_token = hidden_states[:, 0]
        return gelu(self.dense(context_token))


class DebertaV2ForSequenceClassification(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.deberta = DebertaV2Model(c)
        self.pooler = ContextPooler(c)
        output_dim = c["hidden_size"]  # ContextPooler.output_dim returns config.hidden_size
        self.classifier = nn.Linear(output_dim, len(c["id2label"]))

    def set_legacy_xsoftmax(self, flag):
        for layer in self.deberta.encoder.layer:
            layer.attention.self.legacy_xsoftmax = flag

    def forward(self, input_ids, attention_mask, token_type_ids):
        last = self.deberta(input_ids, attention_mask, token_type_ids)
        return last, self.classifier(self.pooler(last))


# ------------------------------------------------------------------ BERT / RoBERTa ----

class BertEmbeddings(nn.Module):
    """BertEmbeddings / RobertaEmbeddings (same parameters; position ids differ)."""

    def __init__(self, c, roberta):
        super().__init__()
        h = c["hidden_size"]
        self.roberta = roberta
        self.word_embeddings = nn.Embedding(c["vocab_size"], h, padding_idx=c["pad_token_id"])
        if roberta:
            self.padding_idx = c["pad_token_id"]
            self.position_embeddings = nn.Embedding(c["max_position_embeddings"], h, padding_idx=self.padding_idx)
        else:
            self.position_embeddings = nn.Embedding(c["max_position_embeddings"], h)
        self.token_type_embeddings = nn.Embedding(c["type_vocab_size"], h)
        self.LayerNorm = nn.LayerNorm(h, eps=c["layer_norm_eps"])
        self.register_buffer("position_ids", torch.arange(c["max_position_embeddings"]).expand((1, -1)),
                             persistent=False)
        self.register_buffer("token_type_ids", torch.zeros(self.position_ids.size(), dtype=torch.long),
                             persistent=False)

    @staticmethod
    def create_position_ids_from_input_ids(input_ids, padding_idx, past_key_values_length=0):
        mask = input_ids.ne(padding_idx).int()
        incremental_indices = (torch.cumsum(mask, dim=1).type_as(mask) + past_key_values_length) * mask
        return incremental_indices.long() + padding_idx

    def position_ids_for(self, input_ids):
        if self.roberta:
            return self.create_position_ids_from_input_ids(input_ids, self.padding_idx)
        return self.position_ids[:, : input_ids.size(1)]

    def forward(self, input_ids, token_type_ids):
        position_ids = self.position_ids_for(input_ids)
        embeddings = self.word_embeddings(input_ids) + self.token_type_embeddings(token_type_ids)
        embeddings = embeddings + self.position_embeddings(position_ids)
        return self.LayerNorm(embeddings)


class BertSelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.num_attention_heads = c["num_attention_heads"]
        self.attention_head_size = int(c["hidden_size"] / c["num_attention_heads"])
        self.all_head_size = self.num_attention_heads * self.attention_head_size
        self.scaling = self.attention_head_size ** -0.5
        self.query = nn.Linear(c["hidden_size"], self.all_head_size)
        self.key = nn.Linear(c["hidden_size"], self.all_head_size)
        self.value = nn.Linear(c["hidden_size"], self.all_head_size)

    def forward(self, hidden_states, attention_mask):
        input_shape = hidden_states.shape[:-1]
        hidden_shape = (*input_shape, -1, self.attention_head_size)
        query = self.query(hidden_states).view(*hidden_shape).transpose(1, 2)
        key = self.key(hidden_states).view(*hidden_shape).transpose(1, 2)
        value = self.value(hidden_states).view(*hidden_shape).transpose(1, 2)
        # eager_attention_forward
        attn_weights = torch.matmul(query, key.transpose(2, 3)) * self.scaling
        attn_weights = attn_weights + attention_mask[:, :, :, : key.shape[-2]]
        attn_weights = nn.functional.softmax(attn_weights, dim=-1)
        attn_output = torch.matmul(attn_weights, value).transpose(1, 2).contiguous()
        return attn_output.reshape(*input_shape, -1).contiguous()


class BertAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.self = BertSelfAttention(c)
        self.output = DenseLayerNorm(c["hidden_size"], c["hidden_size"], c["layer_norm_eps"])

    def forward(self, hidden_states, attention_mask):
        return self.output(self.self(hidden_states, attention_mask), hidden_states)


class BertLayer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attention = BertAttention(c)
        self.intermediate = Intermediate(c)
        self.output = DenseLayerNorm(c["intermediate_size"], c["hidden_size"], c["layer_norm_eps"])

    def forward(self, hidden_states, attention_mask):
        attention_output = self.attention(hidden_states, attention_mask)
        return self.output(self.intermediate(attention_output), attention_output)


class BertEncoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layer = nn.ModuleList([BertLayer(c) for _ in range(c["num_hidden_layers"])])

    def forward(self, hidden_states, attention_mask):
        for layer_module in self.layer:
            hidden_states = layer_module(hidden_states, attention_mask)
        return hidden_states


class BertPooler(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["hidden_size"])

    def forward(self, hidden_states):
        return torch.tanh(self.dense(hidden_states[:, 0]))


class BertModel(nn.Module):
    def __init__(self, c, roberta, add_pooling_layer):
        super().__init__()
        self.embeddings = BertEmbeddings(c, roberta)
        self.encoder = BertEncoder(c)
        if add_pooling_layer:
            self.pooler = BertPooler(c)
        else:
            self.pooler = None

    def forward(self, input_ids, attention_mask, token_type_ids):
        embedding_output = self.embeddings(input_ids, token_type_ids)
        # masking_utils.create_bidirectional_mask (eager): [B, 1, Lq, Lk] additive mask,
        # 0 where the KEY is a real token, finfo(float32).min where the key is padding.
        # Padding query rows are not masked: they attend to the real tokens.
        key_ok = attention_mask.bool()[:, None, None, :].expand(-1, 1, input_ids.size(1), -1)
        additive = torch.where(key_ok, torch.tensor(0.0), torch.tensor(torch.finfo(torch.float32).min))
        return self.encoder(embedding_output, additive)


class RobertaClassificationHead(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["hidden_size"])
        self.out_proj = nn.Linear(c["hidden_size"], len(c["id2label"]))

    def forward(self, features):
        x = features[:, 0, :]
        x = torch.tanh(self.dense(x))
        return self.out_proj(x)


class RobertaForSequenceClassification(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.roberta = BertModel(c, roberta=True, add_pooling_layer=False)
        self.classifier = RobertaClassificationHead(c)

    def forward(self, input_ids, attention_mask, token_type_ids):
        last = self.roberta(input_ids, attention_mask, token_type_ids)
        return last, self.classifier(last)


class BertForSequenceClassification(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.bert = BertModel(c, roberta=False, add_pooling_layer=True)
        self.classifier = nn.Linear(c["hidden_size"], len(c["id2label"]))

    def forward(self, input_ids, attention_mask, token_type_ids):
        last = self.bert(input_ids, attention_mask, token_type_ids)
        return last, self.classifier(self.bert.pooler(last))


# ======================================================================================
# Independent float64 check: numpy, explicit loops for the attention
# ======================================================================================

def np_layernorm(x, w, b, eps):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


_erf = np.vectorize(math.erf)


def np_gelu(x):
    return 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)))


def np_linear(sd, prefix, x):
    return x @ sd[prefix + ".weight"].T + sd[prefix + ".bias"]


def softmax_row(scores):
    m = max(scores)
    e = [math.exp(s - m) for s in scores]
    z = sum(e)
    return [v / z for v in e]


def bucket_direct(rel, bucket_size, max_position):
    """The log-bucket formula in float64, one relative position at a time."""
    mid = bucket_size // 2
    if abs(rel) <= mid:
        return rel
    log_pos = math.ceil(math.log(abs(rel) / mid) / math.log((max_position - 1) / mid) * (mid - 1)) + mid
    return int(math.copysign(log_pos, rel))


def np_deberta(sd, c, ids, mask, legacy_xsoftmax=False):
    B, L = ids.shape
    H = c["hidden_size"]
    nh = c["num_attention_heads"]
    d = H // nh
    eps = c["layer_norm_eps"]
    pat = c["pos_att_type"]
    span = c["position_buckets"]
    maxpos = c["max_relative_positions"] if c["max_relative_positions"] >= 1 else c["max_position_embeddings"]
    sf = 1 + ("c2p" in pat) + ("p2c" in pat)
    denom = math.sqrt(d * sf)
    p = "deberta."
    x = sd[p + "embeddings.word_embeddings.weight"][ids]
    x = np_layernorm(x, sd[p + "embeddings.LayerNorm.weight"], sd[p + "embeddings.LayerNorm.bias"], eps)
    x = x * mask[:, :, None]
    rel = np_layernorm(sd[p + "encoder.rel_embeddings.weight"], sd[p + "encoder.LayerNorm.weight"],
                       sd[p + "encoder.LayerNorm.bias"], eps)[: 2 * span]

    def clampi(v):
        return min(max(v, 0), 2 * span - 1)

    for li in range(c["num_hidden_layers"]):
        lp = p + "encoder.layer.%d." % li
        q = np_linear(sd, lp + "attention.self.query_proj", x)
        k = np_linear(sd, lp + "attention.self.key_proj", x)
        v = np_linear(sd, lp + "attention.self.value_proj", x)
        if c["share_att_key"]:
            pk = np_linear(sd, lp + "attention.self.key_proj", rel)
            pq = np_linear(sd, lp + "attention.self.query_proj", rel)
        else:
            pk = np_linear(sd, lp + "attention.self.pos_key_proj", rel) if "c2p" in pat else None
            pq = np_linear(sd, lp + "attention.self.pos_query_proj", rel) if "p2c" in pat else None
        ctx = np.zeros_like(x)
        for b in range(B):
            for h in range(nh):
                sl = slice(h * d, (h + 1) * d)
                for i in range(L):
                    scores = []
                    for j in range(L):
                        s = float(np.dot(q[b, i, sl], k[b, j, sl])) / denom
                        if "c2p" in pat:
                            s += float(np.dot(q[b, i, sl], pk[clampi(bucket_direct(i - j, span, maxpos) + span), sl])) / denom
                        if "p2c" in pat:
                            # HF: gather(k @ pq^T, index = clamp(-r(x, y) + span)) then transpose,
                            # so entry (i, j) uses key j and r(j, i) = bucket(j - i)
                            s += float(np.dot(k[b, j, sl], pq[clampi(-bucket_direct(j - i, span, maxpos) + span), sl])) / denom
                        if not (mask[b, i] and mask[b, j]):
                            s = FLOAT32_MIN
                        scores.append(s)
                    probs = softmax_row(scores)
                    if legacy_xsoftmax and not mask[b, i]:
                        probs = [0.0] * L
                    if legacy_xsoftmax:
                        probs = [pr if (mask[b, i] and mask[b, j]) else 0.0 for j, pr in enumerate(probs)]
                    acc = np.zeros(d)
                    for j in range(L):
                        acc += probs[j] * v[b, j, sl]
                    ctx[b, i, sl] = acc
        a = np_layernorm(np_linear(sd, lp + "attention.output.dense", ctx) + x,
                         sd[lp + "attention.output.LayerNorm.weight"], sd[lp + "attention.output.LayerNorm.bias"], eps)
        inter = np_gelu(np_linear(sd, lp + "intermediate.dense", a))
        x = np_layernorm(np_linear(sd, lp + "output.dense", inter) + a,
                         sd[lp + "output.LayerNorm.weight"], sd[lp + "output.LayerNorm.bias"], eps)
    pooled = np_gelu(np_linear(sd, "pooler.dense", x[:, 0]))
    return x, np_linear(sd, "classifier", pooled)


def np_bert_like(sd, c, ids, mask, types, roberta):
    B, L = ids.shape
    H = c["hidden_size"]
    nh = c["num_attention_heads"]
    d = H // nh
    eps = c["layer_norm_eps"]
    p = "roberta." if roberta else "bert."
    pos = np.zeros_like(ids)
    for b in range(B):
        counter = 0
        for t in range(L):
            if roberta:
                if ids[b, t] != c["pad_token_id"]:
                    counter += 1
                    pos[b, t] = c["pad_token_id"] + counter
                else:
                    pos[b, t] = c["pad_token_id"]
            else:
                pos[b, t] = t
    x = (sd[p + "embeddings.word_embeddings.weight"][ids] + sd[p + "embeddings.token_type_embeddings.weight"][types]
         + sd[p + "embeddings.position_embeddings.weight"][pos])
    x = np_layernorm(x, sd[p + "embeddings.LayerNorm.weight"], sd[p + "embeddings.LayerNorm.bias"], eps)
    for li in range(c["num_hidden_layers"]):
        lp = p + "encoder.layer.%d." % li
        q = np_linear(sd, lp + "attention.self.query", x)
        k = np_linear(sd, lp + "attention.self.key", x)
        v = np_linear(sd, lp + "attention.self.value", x)
        ctx = np.zeros_like(x)
        for b in range(B):
            for h in range(nh):
                sl = slice(h * d, (h + 1) * d)
                for i in range(L):
                    scores = []
                    for j in range(L):
                        s = float(np.dot(q[b, i, sl], k[b, j, sl])) / math.sqrt(d)
                        if not mask[b, j]:
                            s += FLOAT32_MIN
                        scores.append(s)
                    probs = softmax_row(scores)
                    acc = np.zeros(d)
                    for j in range(L):
                        acc += probs[j] * v[b, j, sl]
                    ctx[b, i, sl] = acc
        a = np_layernorm(np_linear(sd, lp + "attention.output.dense", ctx) + x,
                         sd[lp + "attention.output.LayerNorm.weight"], sd[lp + "attention.output.LayerNorm.bias"], eps)
        inter = np_gelu(np_linear(sd, lp + "intermediate.dense", a))
        x = np_layernorm(np_linear(sd, lp + "output.dense", inter) + a,
                         sd[lp + "output.LayerNorm.weight"], sd[lp + "output.LayerNorm.bias"], eps)
    if roberta:
        hdn = np.tanh(np_linear(sd, "classifier.dense", x[:, 0]))
        logits = np_linear(sd, "classifier.out_proj", hdn)
    else:
        pooled = np.tanh(np_linear(sd, "bert.pooler.dense", x[:, 0]))
        logits = np_linear(sd, "classifier", pooled)
    return x, logits, pos


# ======================================================================================
# Vocabularies
# ======================================================================================

def deberta_vocab():
    """Unigram vocabulary: specials [PAD]=0 [CLS]=1 [SEP]=2 [UNK]=3, then pieces with
    log-prob-like scores (distinct values so that Viterbi never ties), [MASK] last.
    Word pieces score -2.x..-5.x, "▁" -6.5, single letters -9.x, so any word in the list
    is taken whole, the split word becomes ▁un|believ|able, and 'zebra' (no piece) falls
    back to ▁|z|e|b|r|a."""
    words = ["\u2581The", "\u2581the", "\u2581cat", "\u2581sat", "\u2581on", "\u2581mat", ".", ",", "?",
             "\u2581An", "\u2581A", "\u2581un", "believ", "able", "\u2581warm", "\u2581near", "\u2581big",
             "\u2581red", "\u2581door", "\u2581and", "\u2581small", "\u2581ran", "\u2581away", "\u2581Was",
             "\u2581u", "bel", "ab", "\u2581dog", "\u2581is"]
    vocab = [("[PAD]", 0.0), ("[CLS]", 0.0), ("[SEP]", 0.0), ("[UNK]", 0.0)]
    for n, w in enumerate(words):
        vocab.append((w, round(-2.05 - 0.113 * n, 4)))
    vocab.append(("\u2581", -6.5))
    for n, ch in enumerate("abcdefghijklmnopqrstuvwxyz"):
        vocab.append((ch, round(-9.01 - 0.037 * n, 4)))
    vocab.append(("[MASK]", 0.0))
    return vocab


def roberta_vocab_and_merges():
    """Byte-level BPE: <s>=0 <pad>=1 </s>=2 <unk>=3, the 256 byte symbols (4..259), then the
    merge results, <mask> last. Merges are left-to-right chains building each listed token
    (e.g. Ġ+c -> Ġc, Ġc+a -> Ġca, Ġca+t -> Ġcat), ranked in order of first appearance.
    The split word gets three separate chains (Ġun, believ, able) and no merge joining
    them; 'zebra' has no chain, so it stays as single byte symbols."""
    G = "\u0120"  # byte-level encoding of the space byte
    targets = ["The", G + "cat", G + "sat", G + "on", G + "the", G + "mat", "An", G + "un", "believ", "able",
               G + "warm", G + "near", G + "big", G + "red", G + "door", G + "and", G + "small", G + "ran",
               G + "away", "Was", G + "dog"]
    vocab = OrderedDict([("<s>", 0), ("<pad>", 1), ("</s>", 2), ("<unk>", 3)])
    for b in range(256):
        vocab[BYTE_ENCODER[b]] = len(vocab)
    merges = []
    seen = set()
    for t in targets:
        for k in range(1, len(t)):
            pair = (t[:k], t[k])
            if pair not in seen:
                seen.add(pair)
                merges.append(pair)
                if t[:k + 1] not in vocab:
                    vocab[t[:k + 1]] = len(vocab)
    vocab["<mask>"] = len(vocab)
    return vocab, merges


def bert_vocab():
    """WordPiece: [PAD]=0 [UNK]=1 [CLS]=2 [SEP]=3 [MASK]=4, then words and '##' pieces.
    Distractors (u, ##bel, ##ab) check longest-match-first; 'zebra' is absent -> [UNK]."""
    toks = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", "sat", "on", "mat", ".", ",", "?",
            "an", "a", "un", "##believ", "##able", "warm", "near", "big", "red", "door", "and", "small",
            "ran", "away", "was", "u", "##bel", "##ab", "##e", "dog", "is"]
    return OrderedDict((t, i) for i, t in enumerate(toks))


EXPECTED_TOKENS = {
    "deberta": {
        T1: ["\u2581The", "\u2581cat", "\u2581sat", "\u2581on", "\u2581the", "\u2581mat", "."],
        T2: ["\u2581An", "\u2581un", "believ", "able", "\u2581", "z", "e", "b", "r", "a", "\u2581sat", "\u2581on",
             "\u2581the", "\u2581warm", "\u2581mat", "\u2581near", "\u2581the", "\u2581big", "\u2581red",
             "\u2581door", ",", "\u2581and", "\u2581the", "\u2581small", "\u2581cat", "\u2581ran", "\u2581away", "."],
        T3: ["\u2581A", "\u2581cat", "\u2581ran", "."],
        PAIR_B: ["\u2581Was", "\u2581the", "\u2581cat", "\u2581un", "believ", "able", "?"],
    },
    "roberta": {
        T1: ["The", "\u0120cat", "\u0120sat", "\u0120on", "\u0120the", "\u0120mat", "."],
        T2: ["An", "\u0120un", "believ", "able", "\u0120", "z", "e", "b", "r", "a", "\u0120sat", "\u0120on",
             "\u0120the", "\u0120warm", "\u0120mat", "\u0120near", "\u0120the", "\u0120big", "\u0120red",
             "\u0120door", ",", "\u0120and", "\u0120the", "\u0120small", "\u0120cat", "\u0120ran", "\u0120away", "."],
        T3: ["A", "\u0120cat", "\u0120ran", "."],
        PAIR_B: ["Was", "\u0120the", "\u0120cat", "\u0120un", "believ", "able", "?"],
    },
    "bert": {
        T1: ["the", "cat", "sat", "on", "the", "mat", "."],
        T2: ["an", "un", "##believ", "##able", "[UNK]", "sat", "on", "the", "warm", "mat", "near", "the", "big",
             "red", "door", ",", "and", "the", "small", "cat", "ran", "away", "."],
        T3: ["a", "cat", "ran", "."],
        PAIR_B: ["was", "the", "cat", "un", "##believ", "##able", "?"],
    },
}


def expected_pieces(family, text):
    exp = EXPECTED_TOKENS[family]
    if text in exp:
        return exp[text]
    if text == T2 + " " + T1:
        return exp[T2] + exp[T1]
    raise KeyError(text)


def expected_token_row(family, a, b):
    if family == "roberta":
        row = ["<s>"] + expected_pieces(family, a) + ["</s>"]
        if b is not None:
            row += ["</s>"] + expected_pieces(family, b) + ["</s>"]
        return row
    row = ["[CLS]"] + expected_pieces(family, a) + ["[SEP]"]
    if b is not None:
        row += expected_pieces(family, b) + ["[SEP]"]
    return row


# ======================================================================================
# Configs (config.json as PreTrainedConfig.save_pretrained would write them)
# ======================================================================================

def label_maps():
    id2label = OrderedDict((str(i), l) for i, l in enumerate(LABELS))
    label2id = OrderedDict((l, i) for i, l in enumerate(LABELS))
    return id2label, label2id


def deberta_config(vocab_size, variant):
    id2label, label2id = label_maps()
    c = OrderedDict()
    c["architectures"] = ["DebertaV2ForSequenceClassification"]
    c["attention_probs_dropout_prob"] = 0.1
    c["dtype"] = "float32"
    c["hidden_act"] = "gelu"
    c["hidden_dropout_prob"] = 0.1
    c["hidden_size"] = 32
    c["id2label"] = id2label
    c["initializer_range"] = 0.02
    c["intermediate_size"] = 64
    c["label2id"] = label2id
    c["layer_norm_eps"] = 1e-07
    c["legacy"] = True
    c["max_position_embeddings"] = 32
    c["max_relative_positions"] = -1
    c["model_type"] = "deberta-v2"
    c["norm_rel_ebd"] = "layer_norm"
    c["num_attention_heads"] = 4
    c["num_hidden_layers"] = 2
    c["pad_token_id"] = 0
    c["pooler_dropout"] = 0
    c["pooler_hidden_act"] = "gelu"
    c["pooler_hidden_size"] = 32
    c["pos_att_type"] = ["p2c", "c2p"] if variant == "full" else ["c2p"]
    c["position_biased_input"] = False
    c["position_buckets"] = 8
    c["relative_attention"] = True
    c["share_att_key"] = variant == "full"
    c["transformers_version"] = HF_VERSION
    c["type_vocab_size"] = 0
    c["vocab_size"] = vocab_size
    return c


def roberta_config(vocab_size):
    id2label, label2id = label_maps()
    c = OrderedDict()
    c["architectures"] = ["RobertaForSequenceClassification"]
    c["attention_probs_dropout_prob"] = 0.1
    c["bos_token_id"] = 0
    c["classifier_dropout"] = None
    c["dtype"] = "float32"
    c["eos_token_id"] = 2
    c["hidden_act"] = "gelu"
    c["hidden_dropout_prob"] = 0.1
    c["hidden_size"] = 48
    c["id2label"] = id2label
    c["initializer_range"] = 0.02
    c["intermediate_size"] = 144
    c["label2id"] = label2id
    c["layer_norm_eps"] = 1e-05
    c["max_position_embeddings"] = 34  # 32 tokens + padding_idx (1) + 1, like roberta-base's 514
    c["model_type"] = "roberta"
    c["num_attention_heads"] = 4
    c["num_hidden_layers"] = 2
    c["pad_token_id"] = 1
    c["position_embedding_type"] = "absolute"
    c["transformers_version"] = HF_VERSION
    c["type_vocab_size"] = 1
    c["use_cache"] = True
    c["vocab_size"] = vocab_size
    return c


def bert_config(vocab_size):
    id2label, label2id = label_maps()
    c = OrderedDict()
    c["architectures"] = ["BertForSequenceClassification"]
    c["attention_probs_dropout_prob"] = 0.1
    c["classifier_dropout"] = None
    c["dtype"] = "float32"
    c["hidden_act"] = "gelu"
    c["hidden_dropout_prob"] = 0.1
    c["hidden_size"] = 64
    c["id2label"] = id2label
    c["initializer_range"] = 0.02
    c["intermediate_size"] = 256
    c["label2id"] = label2id
    c["layer_norm_eps"] = 1e-12
    c["max_position_embeddings"] = 32
    c["model_type"] = "bert"
    c["num_attention_heads"] = 4
    c["num_hidden_layers"] = 2
    c["pad_token_id"] = 0
    c["position_embedding_type"] = "absolute"
    c["transformers_version"] = HF_VERSION
    c["type_vocab_size"] = 2
    c["use_cache"] = True
    c["vocab_size"] = vocab_size
    return c


# ======================================================================================
# Tokenizer JSON documents
# ======================================================================================

def tokenizer_json(added, normalizer, pre_tokenizer, post_processor, decoder, model):
    return OrderedDict([("version", "1.0"), ("truncation", None), ("padding", None), ("added_tokens", added),
                        ("normalizer", normalizer), ("pre_tokenizer", pre_tokenizer),
                        ("post_processor", post_processor), ("decoder", decoder), ("model", model)])


def deberta_tokenizer_json(vocab):
    ids = {p: i for i, (p, _) in enumerate(vocab)}
    added = [added_token(ids[t], t) for t in ["[PAD]", "[CLS]", "[SEP]", "[UNK]", "[MASK]"]]
    normalizer = OrderedDict([("type", "Sequence"), ("normalizers", [
        OrderedDict([("type", "Replace"), ("pattern", {"Regex": "\\s{2,}|[\\n\\r\\t]"}), ("content", " ")]),
        OrderedDict([("type", "NFC")]),
        OrderedDict([("type", "Strip"), ("strip_left", False), ("strip_right", True)]),
    ])])
    # Current tokenizers writes replacement/prepend_scheme/split; add_prefix_space is the
    # legacy field (still accepted on load, must agree with prepend_scheme).
    meta = OrderedDict([("type", "Metaspace"), ("replacement", "\u2581"), ("prepend_scheme", "always"),
                        ("split", True), ("add_prefix_space", True)])
    model = OrderedDict([("type", "Unigram"), ("unk_id", ids["[UNK]"]),
                         ("vocab", [[p, s] for p, s in vocab]), ("byte_fallback", False)])
    return tokenizer_json(added, normalizer, meta, template_processing("[CLS]", ids["[CLS]"], "[SEP]", ids["[SEP]"]),
                          OrderedDict(meta), model)


def roberta_tokenizer_json(vocab, merges):
    added = [added_token(0, "<s>", normalized=True), added_token(1, "<pad>", normalized=True),
             added_token(2, "</s>", normalized=True), added_token(3, "<unk>", normalized=True),
             added_token(vocab["<mask>"], "<mask>", lstrip=True)]
    pre = OrderedDict([("type", "ByteLevel"), ("add_prefix_space", False), ("trim_offsets", True),
                       ("use_regex", True)])
    post = OrderedDict([("type", "RobertaProcessing"), ("sep", ["</s>", 2]), ("cls", ["<s>", 0]),
                        ("trim_offsets", True), ("add_prefix_space", False)])
    dec = OrderedDict([("type", "ByteLevel"), ("add_prefix_space", True), ("trim_offsets", True),
                       ("use_regex", True)])
    model = OrderedDict([("type", "BPE"), ("dropout", None), ("unk_token", None), ("continuing_subword_prefix", ""),
                         ("end_of_word_suffix", ""), ("fuse_unk", False), ("byte_fallback", False),
                         ("ignore_merges", False), ("vocab", vocab),
                         ("merges", ["%s %s" % m for m in merges])])
    return tokenizer_json(added, None, pre, post, dec, model)


def bert_tokenizer_json(vocab):
    added = [added_token(vocab[t], t) for t in ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]]
    norm = OrderedDict([("type", "BertNormalizer"), ("clean_text", True), ("handle_chinese_chars", True),
                        ("strip_accents", None), ("lowercase", True)])
    pre = OrderedDict([("type", "BertPreTokenizer")])
    dec = OrderedDict([("type", "WordPiece"), ("prefix", "##"), ("cleanup", True)])
    model = OrderedDict([("type", "WordPiece"), ("unk_token", "[UNK]"), ("continuing_subword_prefix", "##"),
                         ("max_input_chars_per_word", 100), ("vocab", vocab)])
    return tokenizer_json(added, norm, pre, template_processing("[CLS]", vocab["[CLS]"], "[SEP]", vocab["[SEP]"]),
                          dec, model)


# ======================================================================================
# Expected state-dict keys (HF module names, see the classes above)
# ======================================================================================

def expected_keys(family, c):
    """HF parameter names = module paths in the modeling files followed (DebertaV2ForSequenceClassification:
    deberta.{embeddings,encoder}, pooler, classifier; RobertaForSequenceClassification: roberta.{embeddings,
    encoder} (RobertaModel(add_pooling_layer=False): no pooler), classifier.{dense,out_proj};
    BertForSequenceClassification: bert.{embeddings,encoder,pooler}, classifier). Buffers position_ids /
    token_type_ids are registered persistent=False there and so are not saved. What the published
    deberta-v3-base / roberta-base checkpoints hold is discussed in the fixtures' README.md."""
    keys = []
    n = c["num_hidden_layers"]
    if family == "deberta":
        keys += ["deberta.embeddings.word_embeddings.weight", "deberta.embeddings.LayerNorm.weight",
                 "deberta.embeddings.LayerNorm.bias"]
        for i in range(n):
            p = "deberta.encoder.layer.%d." % i
            projs = ["query_proj", "key_proj", "value_proj"]
            if not c["share_att_key"]:
                if "c2p" in c["pos_att_type"]:
                    projs.append("pos_key_proj")
                if "p2c" in c["pos_att_type"]:
                    projs.append("pos_query_proj")
            for pr in projs:
                keys += [p + "attention.self.%s.weight" % pr, p + "attention.self.%s.bias" % pr]
            keys += [p + s for s in ["attention.output.dense.weight", "attention.output.dense.bias",
                                     "attention.output.LayerNorm.weight", "attention.output.LayerNorm.bias",
                                     "intermediate.dense.weight", "intermediate.dense.bias",
                                     "output.dense.weight", "output.dense.bias",
                                     "output.LayerNorm.weight", "output.LayerNorm.bias"]]
        keys += ["deberta.encoder.rel_embeddings.weight", "deberta.encoder.LayerNorm.weight",
                 "deberta.encoder.LayerNorm.bias", "pooler.dense.weight", "pooler.dense.bias",
                 "classifier.weight", "classifier.bias"]
    else:
        base = "roberta." if family == "roberta" else "bert."
        keys += [base + "embeddings.word_embeddings.weight", base + "embeddings.position_embeddings.weight",
                 base + "embeddings.token_type_embeddings.weight", base + "embeddings.LayerNorm.weight",
                 base + "embeddings.LayerNorm.bias"]
        for i in range(n):
            p = base + "encoder.layer.%d." % i
            keys += [p + s for s in ["attention.self.query.weight", "attention.self.query.bias",
                                     "attention.self.key.weight", "attention.self.key.bias",
                                     "attention.self.value.weight", "attention.self.value.bias",
                                     "attention.output.dense.weight", "attention.output.dense.bias",
                                     "attention.output.LayerNorm.weight", "attention.output.LayerNorm.bias",
                                     "intermediate.dense.weight", "intermediate.dense.bias",
                                     "output.dense.weight", "output.dense.bias",
                                     "output.LayerNorm.weight", "output.LayerNorm.bias"]]
        if family == "roberta":
            keys += ["classifier.dense.weight", "classifier.dense.bias", "classifier.out_proj.weight",
                     "classifier.out_proj.bias"]
        else:
            keys += ["bert.pooler.dense.weight", "bert.pooler.dense.bias", "classifier.weight", "classifier.bias"]
    return sorted(keys)


# ======================================================================================
# Driver
# ======================================================================================

def init_weights(model, seed):
    """Deterministic random weights, larger than HF's init (std 0.02) so that attention
    patterns, relative-position terms and the heads all move the outputs noticeably.
    Padding rows of the embeddings are random too (HF would zero them at init; a real
    checkpoint may hold anything there)."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, prm in sorted(model.named_parameters()):
            if "LayerNorm" in name and name.endswith(".weight"):
                prm.copy_(1.0 + 0.1 * torch.randn(prm.shape, generator=g))
            elif name.endswith(".bias"):
                prm.copy_(0.1 * torch.randn(prm.shape, generator=g))
            elif "embeddings" in name:
                prm.copy_(0.5 * torch.randn(prm.shape, generator=g))
            else:
                fan_in = prm.shape[1]
                prm.copy_((1.5 / math.sqrt(fan_in)) * torch.randn(prm.shape, generator=g))


def check_buckets(span, maxpos):
    rel = torch.arange(-64, 65)
    tb = make_log_bucket_position(rel, span, maxpos).to(torch.long).tolist()
    db = [bucket_direct(r, span, maxpos) for r in range(-64, 65)]
    assert tb == db, "float32 and float64 bucket formulas disagree"
    return dict(zip(range(-64, 65), tb))


def run_family(name, family, model, c, tok, pad_id, tok_json, seed, cases, notes):
    out_dir = os.path.join(OUT_ROOT, name)
    os.makedirs(out_dir, exist_ok=True)
    init_weights(model, seed)
    model.eval()

    sd_t = model.state_dict()
    keys = sorted(sd_t.keys())
    assert keys == expected_keys(family, c), set(keys) ^ set(expected_keys(family, c))
    tensors = {k: sd_t[k].detach().numpy().astype(np.float32) for k in keys}
    st_path = os.path.join(out_dir, "model.safetensors")
    write_safetensors(st_path, tensors)
    back = read_safetensors(st_path)
    assert sorted(back) == keys
    for k in keys:
        assert np.array_equal(back[k], tensors[k]), k
    sd64 = {k: v.astype(np.float64) for k, v in back.items()}

    write_plain_json(c, os.path.join(out_dir, "config.json"))
    write_plain_json(tok_json, os.path.join(out_dir, "tokenizer.json"))

    ref_cases = []
    buckets_seen = set()
    bucket_table = None
    if family == "deberta":
        maxpos = c["max_relative_positions"] if c["max_relative_positions"] >= 1 else c["max_position_embeddings"]
        bucket_table = check_buckets(c["position_buckets"], maxpos)
    for case in cases:
        tokens, ids, mask, types = batch_encode(tok, case, pad_id)
        # hand-written expected tokens
        for k, a in enumerate(case["text"]):
            b = case["text_pair"][k] if case["text_pair"] is not None else None
            assert tokens[k] == expected_token_row(family, a, b), (name, case["name"], tokens[k])
        ids_t = torch.tensor(ids, dtype=torch.long)
        mask_t = torch.tensor(mask, dtype=torch.long)
        types_t = torch.tensor(types, dtype=torch.long)
        with torch.no_grad():
            last, logits = model(ids_t, mask_t, types_t)
        assert torch.isfinite(last).all() and torch.isfinite(logits).all()
        ids_np, mask_np, types_np = np.array(ids), np.array(mask), np.array(types)
        entry = OrderedDict()
        entry["name"] = case["name"]
        entry["description"] = case["description"]
        entry["text"] = case["text"]
        entry["text_pair"] = case["text_pair"]
        entry["tokens"] = tokens
        entry["input_ids"] = ids
        entry["attention_mask"] = mask
        entry["token_type_ids"] = types
        if family == "deberta":
            x64, lg64 = np_deberta(sd64, c, ids_np, mask_np)
            L = ids_np.shape[1]
            case_buckets = sorted({bucket_table[i - j] for i in range(L) for j in range(L)})
            buckets_seen.update(case_buckets)
            entry["relative_position_buckets"] = case_buckets
        else:
            x64, lg64, pos = np_bert_like(sd64, c, ids_np, mask_np, types_np, family == "roberta")
            emb = model.roberta.embeddings if family == "roberta" else model.bert.embeddings
            pos_t = emb.position_ids_for(ids_t).expand(ids_t.shape).tolist()
            assert pos_t == pos.tolist()
            entry["position_ids"] = pos_t
        err_h = float(np.abs(x64 - last.numpy().astype(np.float64)).max())
        err_l = float(np.abs(lg64 - logits.numpy().astype(np.float64)).max())
        print("  %-26s shape %-12s max|torch-f32 - numpy-f64 loops|: hidden %.2e logits %.2e"
              % (case["name"], tuple(last.shape), err_h, err_l))
        assert err_h < 1e-5 and err_l < 1e-5, (name, case["name"], err_h, err_l)
        entry["last_hidden_state"] = tensor_json(last)
        entry["logits"] = tensor_json(logits)
        if family == "deberta" and min(min(r) for r in mask) == 0:
            model.set_legacy_xsoftmax(True)
            with torch.no_grad():
                last_leg, logits_leg = model(ids_t, mask_t, types_t)
            model.set_legacy_xsoftmax(False)
            x64l, lg64l = np_deberta(sd64, c, ids_np, mask_np, legacy_xsoftmax=True)
            assert np.abs(x64l - last_leg.numpy()).max() < 1e-5
            assert torch.equal(logits_leg, logits)
            real = mask_t.bool()
            assert torch.allclose(last_leg[real], last[real], atol=1e-6)
            entry["last_hidden_state_legacy_xsoftmax"] = tensor_json(last_leg)
        ref_cases.append(entry)

    # Padding must not change real tokens: the padded batch rows equal the single runs.
    by_name = {e["name"]: e for e in ref_cases}
    for row, single in [(0, "single_short"), (1, "single_long")]:
        pb, sg = by_name["padded_batch"], by_name[single]
        n = len(sg["input_ids"][0])
        h = c["hidden_size"]
        L = len(pb["input_ids"][0])
        a = np.array(pb["last_hidden_state"]["data"]).reshape(-1, L, h)[row, :n]
        b = np.array(sg["last_hidden_state"]["data"]).reshape(-1, n, h)[0]
        assert np.abs(a - b).max() < 1e-5, (name, single)
        nl = len(LABELS)
        assert np.abs(np.array(pb["logits"]["data"][row * nl:(row + 1) * nl]) -
                      np.array(sg["logits"]["data"])).max() < 1e-5

    ref = OrderedDict()
    ref["format"] = "rankwise-encoder-reference-v1"
    ref["name"] = name
    ref["model_type"] = c["model_type"]
    ref["architecture"] = c["architectures"][0]
    ref["dtype"] = "float32"
    ref["tolerance"] = 1e-4
    ref["labels"] = LABELS
    ref["generated_by"] = "testing/src/main/python/make_encoder_fixtures.py"
    ref["spec"] = OrderedDict([("transformers_commit", HF_COMMIT), ("transformers_version", HF_VERSION),
                               ("tokenizers_commit", TOKENIZERS_COMMIT)])
    ref["files_sha256"] = OrderedDict(
        (f, sha256_file(os.path.join(out_dir, f))) for f in ["config.json", "model.safetensors", "tokenizer.json"])
    ref["notes"] = notes
    if family == "deberta":
        ref["relative_position_buckets"] = OrderedDict([
            ("position_buckets", c["position_buckets"]),
            ("max_relative_positions_effective", c["max_position_embeddings"]),
            ("bucket_of_relative_position", OrderedDict((str(r), bucket_table[r]) for r in range(-40, 41))),
            ("occurring", sorted(buckets_seen)),
        ])
        print("  relative buckets occurring:", sorted(buckets_seen))
    ref["cases"] = ref_cases
    dump_json(ref, os.path.join(out_dir, "reference.json"))
    return sorted(buckets_seen)


DEBERTA_NOTES = [
    "Eval mode (no dropout). last_hidden_state is DebertaV2Model's output; logits = classifier(gelu(pooler.dense(last_hidden_state[:, 0]))).",
    "token_type_ids are what the tokenizer returns (1 on the second segment) but the model ignores them: type_vocab_size is 0.",
    "No absolute positions (position_biased_input false). Relative position r = i - j (query i, key j) goes through make_log_bucket_position(r, position_buckets=8, max_relative_positions=32): identity for |r| <= 4, else sign(r) * (ceil(ln(|r|/4) / ln(31/4) * 3) + 4).",
    "Scores: (q_i . k_j + c2p + p2c) / sqrt(head_size * (1 + len(pos_att_type))), c2p = q_i . pos_k[clamp(bucket(i - j) + 8, 0, 15)], p2c = k_j . pos_q[clamp(-bucket(j - i) + 8, 0, 15)], where pos_k / pos_q are key_proj / query_proj (share_att_key) applied to LayerNorm(rel_embeddings).",
    "Mask: attention_mask [B, L] becomes m[b, i, j] = mask[b, i] * mask[b, j]; masked scores are set to float32 min before softmax. A padding QUERY row is therefore fully masked and gets a uniform softmax over all L keys (HF since the DeBERTa refactor #22105, Nov 2024, first released in v4.47 as far as I know), so padding rows of last_hidden_state are finite, non-zero and depend on this detail. The embeddings are multiplied by the mask, so padding rows start as zeros.",
    "last_hidden_state_legacy_xsoftmax (padded cases only): the same forward with the older XSoftmax (HF before #22105), which zeroes fully masked rows after the softmax. Real-token rows and logits are identical in both; only padding rows differ. Compare padding rows against whichever semantics you implement, or skip them.",
]
ROBERTA_NOTES = [
    "Eval mode (no dropout). last_hidden_state is RobertaModel's output (no pooler: RobertaForSequenceClassification builds RobertaModel(add_pooling_layer=False)); logits = out_proj(tanh(dense(last_hidden_state[:, 0]))).",
    "position_ids (included per case) = cumsum(input_ids != pad_token_id) * (input_ids != pad_token_id) + pad_token_id, i.e. 2, 3, ... for tokens and 1 (padding_idx) on padding; computed from input_ids, not from attention_mask.",
    "token_type_ids are all 0 (RobertaProcessing; type_vocab_size 1). HF's RoBERTa tokenizer does not return them; pass zeros.",
    "Mask: only padding KEYS are masked (additive float32 min); padding query rows attend to the real tokens, so their outputs are well defined.",
]
BERT_NOTES = [
    "Eval mode (no dropout). last_hidden_state is BertModel's sequence output; logits = classifier(tanh(bert.pooler.dense(last_hidden_state[:, 0]))).",
    "position_ids (included per case) = 0, 1, 2, ... for every row, padding included.",
    "Mask: only padding KEYS are masked (additive float32 min); padding query rows attend to the real tokens.",
    "The tokenizer lowercases (BertNormalizer); 'zebra' is not in the vocabulary and becomes a single [UNK].",
]


def main():
    os.makedirs(OUT_ROOT, exist_ok=True)
    summary = {}

    # ---- deberta-v2 (deberta-v3-base layout) and the c2p-only, unshared-key variant ----
    dv = deberta_vocab()
    dtok = UnigramTokenizer(dv, unk_id=3)
    # deberta-v3-base's embedding matrix (128100) is larger than its tokenizer (128001
    # entries); mimic that: vocab_size 128 > len(vocab).
    for name, variant, seed in [("deberta-v2", "full", 1001), ("deberta-v2-c2p", "c2p", 1002)]:
        c = deberta_config(128, variant)
        assert len(dv) <= c["vocab_size"]
        print("%s: pos_att_type %s share_att_key %s" % (name, c["pos_att_type"], c["share_att_key"]))
        model = DebertaV2ForSequenceClassification(c)
        summary[name] = run_family(name, "deberta", model, c, dtok, 0, deberta_tokenizer_json(dv), seed,
                                   CASES + DEBERTA_EXTRA_CASES, DEBERTA_NOTES)

    # ---- roberta (roberta-base layout) ----
    rv, rm = roberta_vocab_and_merges()
    rtok = ByteLevelBPETokenizer(rv, rm)
    c = roberta_config(len(rv))
    print("roberta: vocab %d, merges %d" % (len(rv), len(rm)))
    summary["roberta"] = run_family("roberta", "roberta", RobertaForSequenceClassification(c), c, rtok,
                                    c["pad_token_id"], roberta_tokenizer_json(rv, rm), 2001, CASES, ROBERTA_NOTES)

    # ---- bert ----
    bv = bert_vocab()
    btok = WordPieceTokenizer(bv)
    c = bert_config(len(bv))
    print("bert: vocab %d" % len(bv))
    summary["bert"] = run_family("bert", "bert", BertForSequenceClassification(c), c, btok, c["pad_token_id"],
                                 bert_tokenizer_json(bv), 3001, CASES, BERT_NOTES)

    total = 0
    for root, _, files in os.walk(OUT_ROOT):
        for f in files:
            total += os.path.getsize(os.path.join(root, f))
    print("fixtures written under %s (%d bytes)" % (os.path.relpath(OUT_ROOT, REPO_ROOT), total))
    assert total < 2_000_000


if __name__ == "__main__":
    sys.exit(main())
