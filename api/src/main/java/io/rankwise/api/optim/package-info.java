/** Optimizers and what they can offer importance metrics (gradients, a posterior). */
package io.rankwise.api.optim;
