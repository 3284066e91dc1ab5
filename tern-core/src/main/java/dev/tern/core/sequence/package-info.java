/**
 * Sequencers in the style of WeChat's seqsvr: the current value of each sequence lives in memory;
 * the store keeps an upper bound raised in steps. A raise travels in the same atomic batch as the
 * first number above the old bound, and batches are written in order, so after a crash every
 * number ever made durable is at or below the persisted bound; the owner resumes above it. Numbers
 * may jump, never repeat or go back.
 *
 * <p>Allocation happens only under the commit pipeline's sequencing lock; loading may happen
 * outside it (it is idempotent).
 */
package dev.tern.core.sequence;
