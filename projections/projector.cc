#include "projections/projector.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "ledger/record_format.h"
#include "base/sha256.h"
#include "base/status_macros.h"
#include "domain/apply.h"
#include "projections/checkpoint_retention.h"
#include "projections/piece_store.h"
#include "projections/read_ahead.h"
#include "projections/state_codec.h"

namespace salesledger {
namespace {

constexpr char kCheckpointKey[] = "state";
constexpr absl::string_view kCheckpointMagic = "CKP3";
constexpr absl::string_view kPiecePrefix = "state/";
constexpr absl::string_view kPiecesEnd = "state0";  // '0' follows '/': past every piece key
constexpr char kHistoryKey[] = "history";
constexpr absl::string_view kHistoryMagic = "HST1";
constexpr size_t kManifestBytes = kCheckpointMagic.size() + 8 + kHashSize + 8 + 8 + 8 + kHashSize;

std::string PieceKey(uint64_t seq, uint64_t index) {
  return absl::StrCat(kPiecePrefix, record_format::EncodeSeq(seq), record_format::EncodeSeq(index));
}

// Piece `index` of checkpoint `c`; DATA_LOSS when it is missing.
absl::StatusOr<std::string> ReadPiece(const EventLog& log, const StoredCheckpoint& c, uint64_t index) {
  ASSIGN_OR_RETURN(std::optional<std::string> piece, log.GetCheckpoint(PieceKey(c.seq, index)));
  if (!piece) return absl::DataLossError(absl::StrCat("piece ", index, " of the checkpoint at seq ", c.seq, " is missing"));
  return *std::move(piece);
}

std::string EncodeManifest(const StoredCheckpoint& c) {
  std::string manifest(kCheckpointMagic);
  absl::StrAppend(&manifest, record_format::EncodeSeq(c.seq), c.hash, record_format::EncodeSeq(c.first_piece),
                  record_format::EncodeSeq(c.pieces), record_format::EncodeSeq(c.state_bytes), c.state_digest);
  return manifest;
}

absl::StatusOr<StoredCheckpoint> DecodeManifest(absl::string_view rest) {
  if (rest.size() != kManifestBytes || rest.substr(0, kCheckpointMagic.size()) != kCheckpointMagic) {
    return absl::DataLossError("the projection checkpoint record is malformed or from another version");
  }
  rest.remove_prefix(kCheckpointMagic.size());
  StoredCheckpoint c;
  c.seq = *record_format::DecodeSeq(rest.substr(0, 8));
  c.hash = std::string(rest.substr(8, kHashSize));
  rest.remove_prefix(8 + kHashSize);
  c.first_piece = *record_format::DecodeSeq(rest.substr(0, 8));
  c.pieces = *record_format::DecodeSeq(rest.substr(8, 8));
  c.state_bytes = *record_format::DecodeSeq(rest.substr(16, 8));
  c.state_digest = std::string(rest.substr(24));
  return c;
}

// Whether checkpoint `c` belongs to this log (its seq at most `head`, its hash the log's): OK, or
// why not.
absl::Status MatchesLog(const EventLog& log, const StoredCheckpoint& c, uint64_t head) {
  if (c.seq > head) return absl::NotFoundError(absl::StrCat("the checkpoint is at seq ", c.seq, ", past the head (", head, ")"));
  if (c.seq == 0) return absl::OkStatus();
  absl::StatusOr<v1::Event> at = log.ReadEvent(c.seq);
  if (!at.ok() || at->hash() != c.hash) {
    return absl::NotFoundError(absl::StrCat("the checkpoint at seq ", c.seq, " does not match the log"));
  }
  return absl::OkStatus();
}

// Checkpoint `c`'s state when it matches the log (head `head`) and decodes to its seq.
absl::StatusOr<State> LoadMatching(const EventLog& log, const StoredCheckpoint& c, uint64_t head) {
  RETURN_IF_ERROR(MatchesLog(log, c, head));
  ASSIGN_OR_RETURN(State decoded, LoadCheckpointState(log, c));
  if (decoded.head_seq != c.seq) return absl::DataLossError("the checkpoint's state does not match its seq");
  return decoded;
}

}  // namespace

absl::Status FoldInto(const EventLog& log, State& state, uint64_t to_seq, const FoldProgress& progress,
                      const PolicyOverride* judge_by) {
  if (to_seq <= state.head_seq) return absl::OkStatus();  // also keeps Read's "0 = head" out of it
  uint64_t n = 0;
  ReadAhead events(log, state.head_seq + 1, to_seq);  // gap-free, or DATA_LOSS naming the seq
  while (ReadAhead::Batch* batch = events.Next()) {
    for (const v1::Event* event : batch->events) {
      Apply(state, *event, judge_by);
      if (progress && (++n & 0xffff) == 0) progress(state.head_seq, to_seq);
    }
    events.Recycle(batch);
  }
  RETURN_IF_ERROR(events.status());
  if (progress) progress(state.head_seq, to_seq);
  return absl::OkStatus();
}

absl::StatusOr<State> FoldFromScratch(const EventLog& log, uint64_t to_seq, const FoldProgress& progress,
                                      const PolicyOverride* judge_by) {
  if (to_seq == 0) to_seq = log.GetHead().seq;
  State state;
  RETURN_IF_ERROR(FoldInto(log, state, to_seq, progress, judge_by));
  return state;
}

absl::StatusOr<std::optional<StoredCheckpoint>> ReadCheckpoint(const EventLog& log) {
  ASSIGN_OR_RETURN(std::optional<std::string> value, log.GetCheckpoint(kCheckpointKey));
  if (!value) return std::nullopt;
  return DecodeManifest(*value);
}

absl::StatusOr<std::vector<StoredCheckpoint>> ReadRetainedCheckpoints(const EventLog& log) {
  ASSIGN_OR_RETURN(std::optional<StoredCheckpoint> in_force, ReadCheckpoint(log));
  ASSIGN_OR_RETURN(std::optional<std::string> value, log.GetCheckpoint(kHistoryKey));
  std::vector<StoredCheckpoint> kept;
  if (value) {
    absl::string_view rest(*value);
    if (rest.substr(0, kHistoryMagic.size()) != kHistoryMagic ||
        (rest.size() - kHistoryMagic.size()) % kManifestBytes != 0) {
      return absl::DataLossError("the checkpoint history record is malformed or from another version");
    }
    for (rest.remove_prefix(kHistoryMagic.size()); !rest.empty(); rest.remove_prefix(kManifestBytes)) {
      ASSIGN_OR_RETURN(StoredCheckpoint c, DecodeManifest(rest.substr(0, kManifestBytes)));
      kept.push_back(std::move(c));
    }
  }
  if (in_force) {
    // The one in force wins over a listed one at its seq (a crash between the two records).
    std::erase_if(kept, [&](const StoredCheckpoint& c) { return c.seq >= in_force->seq; });
    kept.push_back(*std::move(in_force));
  }
  return kept;
}

absl::StatusOr<State> LoadCheckpointState(const EventLog& log, const StoredCheckpoint& c) {
  uint64_t next = 0;
  return DecodeState(c.state_bytes, [&]() -> absl::StatusOr<std::optional<std::string>> {
    if (next == c.pieces) return std::nullopt;
    return ReadPiece(log, c, c.first_piece + next++);
  });
}

absl::StatusOr<std::string> DigestCheckpointPieces(const EventLog& log, const StoredCheckpoint& c) {
  Sha256Stream sha;
  for (uint64_t i = c.first_piece; i < c.first_piece + c.pieces; ++i) {
    ASSIGN_OR_RETURN(std::string piece, ReadPiece(log, c, i));
    sha.Update(piece);
  }
  return sha.Finish();
}

absl::StatusOr<State> FoldResuming(const EventLog& log, FoldReport* report, const FoldProgress& progress) {
  FoldReport local;
  FoldReport& r = report != nullptr ? *report : local;
  r = FoldReport();
  const uint64_t head = log.GetHead().seq;
  State state;
  absl::StatusOr<std::optional<StoredCheckpoint>> checkpoint = ReadCheckpoint(log);
  if (!checkpoint.ok()) {
    r.note = std::string(checkpoint.status().message());
  } else if (*checkpoint) {
    if (absl::StatusOr<State> loaded = LoadMatching(log, **checkpoint, head); loaded.ok()) {
      state = *std::move(loaded);
      r.checkpoint_seq = state.head_seq;
    } else {
      r.note = std::string(loaded.status().message());
    }
  }
  RETURN_IF_ERROR(FoldInto(log, state, head, progress));
  r.events_folded = head - r.checkpoint_seq;
  return state;
}

absl::StatusOr<State> FoldAt(const EventLog& log, uint64_t seq, FoldReport* report) {
  FoldReport local;
  FoldReport& r = report != nullptr ? *report : local;
  r = FoldReport();
  const uint64_t head = log.GetHead().seq;
  if (seq > head) return absl::InvalidArgumentError(absl::StrCat("seq ", seq, " is past the head (", head, ")"));
  State state;
  absl::StatusOr<std::vector<StoredCheckpoint>> retained = ReadRetainedCheckpoints(log);
  if (!retained.ok()) r.note = std::string(retained.status().message());
  // Nearest first; one that fails is passed over for the next below it.
  for (size_t i = retained.ok() ? retained->size() : 0; i-- > 0;) {
    const StoredCheckpoint& c = (*retained)[i];
    if (c.seq > seq) continue;
    absl::StatusOr<State> loaded = LoadMatching(log, c, head);
    if (loaded.ok()) {
      state = *std::move(loaded);
      r.checkpoint_seq = state.head_seq;
      break;
    }
    if (r.note.empty()) r.note = std::string(loaded.status().message());
  }
  RETURN_IF_ERROR(FoldInto(log, state, seq));
  r.events_folded = seq - r.checkpoint_seq;
  return state;
}

absl::Status WriteCheckpoint(EventLog& log, const State& state, const std::function<void()>& encoded,
                             const CheckpointOptions& options) {
  StoredCheckpoint written;
  written.seq = state.head_seq;  // `state` may change once `encoded` has been called
  written.hash = GenesisPrevHash();
  if (written.seq > 0) {
    ASSIGN_OR_RETURN(v1::Event at, log.ReadEvent(written.seq));
    written.hash = at.hash();
  }
  std::vector<StoredCheckpoint> earlier;  // a malformed history is replaced below
  if (absl::StatusOr<std::vector<StoredCheckpoint>> retained = ReadRetainedCheckpoints(log); retained.ok()) {
    earlier = *std::move(retained);
  }
  // A checkpoint at the seq of one kept (a rebuild with no new events) is numbered after it: its
  // file then overlaps no other, and the old one is dropped whole instead of compacted.
  for (const StoredCheckpoint& c : earlier) {
    if (c.seq == written.seq) written.first_piece = c.first_piece + c.pieces;
  }
  Sha256Stream sha;
  RETURN_IF_ERROR(log.PutCheckpoints([&](const EventLog::CheckpointAdd& add) {
    PieceStore store([&](absl::string_view piece) {
      sha.Update(piece);
      written.state_bytes += piece.size();
      return add(PieceKey(written.seq, written.first_piece + written.pieces++), piece);
    });
    absl::Status encoding =
        EncodeState(state, [&](absl::string_view piece) { return store.Push(piece); }, options.piece_bytes);
    if (encoding.ok() && encoded) encoded();  // the store holds copies: `state` is no longer read
    absl::Status storing = store.Finish();    // sha, bytes and pieces are final once it returns
    RETURN_IF_ERROR(storing);
    return encoding;
  }));
  written.state_digest = sha.Finish();

  // The earlier checkpoints still kept: listed, below this one, and of this log (a log whose tail
  // was cut may have left some behind that no longer match it).
  std::vector<StoredCheckpoint> kept;
  for (StoredCheckpoint& c : earlier) {
    if (c.seq < written.seq && MatchesLog(log, c, written.seq).ok()) kept.push_back(std::move(c));
  }
  kept.push_back(written);
  std::vector<uint64_t> seqs;
  for (const StoredCheckpoint& c : kept) seqs.push_back(c.seq);
  seqs = ThinCheckpoints(std::move(seqs), options.retain);
  std::erase_if(kept, [&](const StoredCheckpoint& c) { return !std::binary_search(seqs.begin(), seqs.end(), c.seq); });
  std::string history(kHistoryMagic);
  for (const StoredCheckpoint& c : kept) history += EncodeManifest(c);

  RETURN_IF_ERROR(log.PutCheckpoint(kCheckpointKey, EncodeManifest(written)));  // after the pieces are durable
  RETURN_IF_ERROR(log.PutCheckpoint(kHistoryKey, history));
  // Every piece outside the kept checkpoints goes: those thinned out, those replaced, and any left
  // by a checkpoint that did not finish.
  std::string from = PieceKey(0, 0);
  for (const StoredCheckpoint& c : kept) {
    std::string to = PieceKey(c.seq, c.first_piece);
    if (from < to) RETURN_IF_ERROR(log.DeleteCheckpoints(from, to));
    from = PieceKey(c.seq, c.first_piece + c.pieces);
  }
  return log.DeleteCheckpoints(from, kPiecesEnd);
}

}  // namespace salesledger
