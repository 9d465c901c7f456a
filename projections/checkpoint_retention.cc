#include "projections/checkpoint_retention.h"

#include <algorithm>

namespace salesledger {

std::vector<uint64_t> ThinCheckpoints(std::vector<uint64_t> seqs, size_t keep) {
  keep = std::max<size_t>(keep, 1);
  while (seqs.size() > keep) {
    // Removing seqs[i] merges the gaps on either side into seqs[i + 1] - seqs[i - 1] (seq 0 below
    // the first). The newest (last) is never a candidate.
    size_t drop = 0;
    uint64_t narrowest = UINT64_MAX;
    for (size_t i = 0; i + 1 < seqs.size(); ++i) {
      const uint64_t merged = seqs[i + 1] - (i == 0 ? 0 : seqs[i - 1]);
      if (merged < narrowest) {
        narrowest = merged;
        drop = i;
      }
    }
    seqs.erase(seqs.begin() + static_cast<std::ptrdiff_t>(drop));
  }
  return seqs;
}

}  // namespace salesledger
