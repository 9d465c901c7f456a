// Which projection checkpoints to keep for as-of reads (SPEC.md §5 as_of_seq, issue 18 item 5).
// A state as of seq N is the nearest retained checkpoint at or below N plus the events after it,
// so the cost of an as-of read is bounded by the widest gap between kept checkpoints. Each kept
// checkpoint costs the disk of a whole state, so only `keep` are kept: when one more arrives, the
// one whose removal leaves the narrowest gap goes (the oldest on a tie), which keeps the kept
// seqs spread over the whole history as it grows. Seq 0 (an empty state) is always there for free.
// Pure; thread-compatible.
#ifndef SALESLEDGER_PROJECTIONS_CHECKPOINT_RETENTION_H_
#define SALESLEDGER_PROJECTIONS_CHECKPOINT_RETENTION_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace salesledger {

// `seqs`: ascending and distinct, the last being the newest checkpoint, which is always kept.
// Returns the kept seqs, ascending: all of them when there are at most `keep` (at least 1).
std::vector<uint64_t> ThinCheckpoints(std::vector<uint64_t> seqs, size_t keep);

}  // namespace salesledger

#endif  // SALESLEDGER_PROJECTIONS_CHECKPOINT_RETENTION_H_
