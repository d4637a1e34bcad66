package io.rankwise.backend.djl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of the smallest Linux x86-64 shared object that exports one function, {@code int
 * name(void)}, returning a constant: written by Java so that no C compiler is needed where Rankwise
 * runs. {@link MklVendorCheck} loads one to stand in for a function of Intel MKL.
 *
 * <p>The file is an ELF64 little-endian {@code ET_DYN} object with no section headers, which the
 * dynamic loader does not need. Its first page is one read-and-execute {@code PT_LOAD} segment
 * holding the headers, a System V symbol hash table with one bucket, the symbol table (the null
 * symbol and the function), the string table and the code {@code mov eax, imm32; ret}; the second
 * page is a read-write segment holding only the {@code PT_DYNAMIC} table (the loader may relocate
 * its addresses in place). A {@code PT_GNU_STACK} header without the execute flag keeps the
 * process's stack non-executable: without it glibc would make the stack executable when the library
 * loads.
 */
final class ConstantFunctionLibrary {
    private static final int PAGE = 0x1000;
    private static final int HEADER_SIZE = 64;
    private static final int PROGRAM_HEADER_SIZE = 56;
    private static final int PROGRAM_HEADERS = 4;
    private static final int SYMBOL_SIZE = 24;
    private static final int DYNAMIC_ENTRY_SIZE = 16;

    private static final int PT_LOAD = 1;
    private static final int PT_DYNAMIC = 2;
    private static final int PT_GNU_STACK = 0x6474e551;
    private static final int PF_X = 1;
    private static final int PF_W = 2;
    private static final int PF_R = 4;
    private static final int DT_NULL = 0;
    private static final int DT_HASH = 4;
    private static final int DT_STRTAB = 5;
    private static final int DT_SYMTAB = 6;
    private static final int DT_STRSZ = 10;
    private static final int DT_SYMENT = 11;

    /** STB_GLOBAL binding, STT_FUNC type. */
    private static final byte GLOBAL_FUNCTION = 0x12;

    /**
     * Any section index but SHN_UNDEF (0) marks the symbol as defined; there are no sections, and
     * the loader does not look the index up.
     */
    private static final short DEFINED = 1;

    private ConstantFunctionLibrary() {}

    /**
     * The shared object's bytes.
     *
     * @param name the exported function's name: a C identifier
     * @param value what the function returns
     * @throws IllegalArgumentException when {@code name} is not a C identifier
     */
    static byte[] bytes(String name, int value) {
        if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException(
                    "ConstantFunctionLibrary: function name is '"
                            + name
                            + "'; accepted: a C identifier ([A-Za-z_][A-Za-z0-9_]*)");
        }
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        int hash = HEADER_SIZE + PROGRAM_HEADERS * PROGRAM_HEADER_SIZE;
        int hashSize = 4 * 4 + 4; // nbucket, nchain, one bucket, two chain entries
        int symbols = align(hash + hashSize, 8);
        int strings = symbols + 2 * SYMBOL_SIZE;
        int stringsSize = nameBytes.length + 2; // the empty name first, then the function's
        int code = align(strings + stringsSize, 16);
        byte[] instructions = {
            (byte) 0xb8,
            (byte) value,
            (byte) (value >>> 8),
            (byte) (value >>> 16),
            (byte) (value >>> 24),
            (byte) 0xc3
        };
        int textEnd = code + instructions.length;
        int dynamic = PAGE;
        int dynamicSize = 6 * DYNAMIC_ENTRY_SIZE;

        ByteBuffer b = ByteBuffer.allocate(dynamic + dynamicSize).order(ByteOrder.LITTLE_ENDIAN);
        // ELF header: magic, 64-bit, little-endian, version 1, System V ABI.
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        b.position(16);
        b.putShort((short) 3); // ET_DYN
        b.putShort((short) 62); // EM_X86_64
        b.putInt(1); // EV_CURRENT
        b.putLong(0); // no entry point
        b.putLong(HEADER_SIZE); // program headers follow the header
        b.putLong(0); // no section headers
        b.putInt(0); // flags
        b.putShort((short) HEADER_SIZE);
        b.putShort((short) PROGRAM_HEADER_SIZE);
        b.putShort((short) PROGRAM_HEADERS);
        b.putShort((short) 64); // section header size, though there are none
        b.putShort((short) 0);
        b.putShort((short) 0);

        programHeader(b, PT_LOAD, PF_R | PF_X, 0, textEnd, PAGE);
        programHeader(b, PT_LOAD, PF_R | PF_W, dynamic, dynamicSize, PAGE);
        programHeader(b, PT_DYNAMIC, PF_R | PF_W, dynamic, dynamicSize, 8);
        programHeader(b, PT_GNU_STACK, PF_R | PF_W, 0, 0, 16);

        // One bucket whose chain starts and ends at symbol 1: every lookup checks that symbol.
        b.position(hash);
        b.putInt(1).putInt(2).putInt(1).putInt(0).putInt(0);

        b.position(symbols + SYMBOL_SIZE); // symbol 0 is the null symbol: all zeros
        b.putInt(1); // the name at offset 1 of the string table
        b.put(GLOBAL_FUNCTION);
        b.put((byte) 0); // default visibility
        b.putShort(DEFINED);
        b.putLong(code);
        b.putLong(instructions.length);

        b.position(strings + 1);
        b.put(nameBytes);

        b.position(code);
        b.put(instructions);

        b.position(dynamic);
        dynamicEntry(b, DT_HASH, hash);
        dynamicEntry(b, DT_STRTAB, strings);
        dynamicEntry(b, DT_SYMTAB, symbols);
        dynamicEntry(b, DT_STRSZ, stringsSize);
        dynamicEntry(b, DT_SYMENT, SYMBOL_SIZE);
        dynamicEntry(b, DT_NULL, 0);
        return b.array();
    }

    /** A program header whose file offset and address are equal. */
    private static void programHeader(
            ByteBuffer b, int type, int flags, long offset, long size, long alignment) {
        b.putInt(type);
        b.putInt(flags);
        b.putLong(offset);
        b.putLong(offset); // virtual address
        b.putLong(offset); // physical address
        b.putLong(size); // in the file
        b.putLong(size); // in memory
        b.putLong(alignment);
    }

    private static void dynamicEntry(ByteBuffer b, long tag, long value) {
        b.putLong(tag);
        b.putLong(value);
    }

    private static int align(int offset, int alignment) {
        return (offset + alignment - 1) / alignment * alignment;
    }
}
