#include "projections/projector.h"

#include "absl/strings/str_cat.h"
#include "ledger/record_format.h"
#include "base/sha256.h"
#include "base/status_macros.h"
#include "domain/apply.h"
#include "projections/piece_store.h"
#include "projections/read_ahead.h"
#include "projections/state_codec.h"

namespace salesledger {
namespace {

constexpr char kCheckpointKey[] = "state";
constexpr absl::string_view kCheckpointMagic = "CKP3";
constexpr absl::string_view kPiecePrefix = "state/";
constexpr absl::string_view kPiecesEnd = "state0";  // '0' follows '/': past every piece key

std::string PieceKey(uint64_t seq, uint64_t index) {
  return absl::StrCat(kPiecePrefix, record_format::EncodeSeq(seq), record_format::EncodeSeq(index));
}

// Piece `index` of checkpoint `c`; DATA_LOSS when it is missing.
absl::StatusOr<std::string> ReadPiece(const EventLog& log, const StoredCheckpoint& c, uint64_t index) {
  ASSIGN_OR_RETURN(std::optional<std::string> piece, log.GetCheckpoint(PieceKey(c.seq, index)));
  if (!piece) return absl::DataLossError(absl::StrCat("piece ", index, " of the checkpoint at seq ", c.seq, " is missing"));
  return *std::move(piece);
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
  absl::string_view rest(*value);
  if (rest.size() != kCheckpointMagic.size() + 8 + kHashSize + 8 + 8 + 8 + kHashSize ||
      rest.substr(0, kCheckpointMagic.size()) != kCheckpointMagic) {
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
    const StoredCheckpoint& c = **checkpoint;
    absl::StatusOr<v1::Event> at = c.seq == 0 ? absl::StatusOr<v1::Event>(v1::Event()) : log.ReadEvent(c.seq);
    if (c.seq > head) {
      r.note = absl::StrCat("the checkpoint is at seq ", c.seq, ", past the head (", head, ")");
    } else if (!at.ok() || (c.seq > 0 && at->hash() != c.hash)) {
      r.note = absl::StrCat("the checkpoint at seq ", c.seq, " does not match the log");
    } else if (absl::StatusOr<State> decoded = LoadCheckpointState(log, c); !decoded.ok()) {
      r.note = std::string(decoded.status().message());
    } else if (decoded->head_seq != c.seq) {
      r.note = "the checkpoint's state does not match its seq";
    } else {
      state = *std::move(decoded);
      r.checkpoint_seq = c.seq;
    }
  }
  RETURN_IF_ERROR(FoldInto(log, state, head, progress));
  r.events_folded = head - r.checkpoint_seq;
  return state;
}

absl::Status WriteCheckpoint(EventLog& log, const State& state, const std::function<void()>& encoded,
                             size_t piece_bytes) {
  const uint64_t seq = state.head_seq;  // `state` may change once `encoded` has been called
  std::string hash = GenesisPrevHash();
  if (seq > 0) {
    ASSIGN_OR_RETURN(v1::Event at, log.ReadEvent(seq));
    hash = at.hash();
  }
  // A checkpoint at the seq of the one in force (a rebuild with no new events) is numbered after
  // it: its file then overlaps no other, and the old one is dropped whole instead of compacted.
  uint64_t first = 0;
  if (absl::StatusOr<std::optional<StoredCheckpoint>> in_force = ReadCheckpoint(log);
      in_force.ok() && *in_force && (*in_force)->seq == seq) {
    first = (*in_force)->first_piece + (*in_force)->pieces;
  }
  Sha256Stream sha;
  uint64_t pieces = 0, bytes = 0;
  RETURN_IF_ERROR(log.PutCheckpoints([&](const EventLog::CheckpointAdd& add) {
    PieceStore store([&](absl::string_view piece) {
      sha.Update(piece);
      bytes += piece.size();
      return add(PieceKey(seq, first + pieces++), piece);
    });
    absl::Status encoding =
        EncodeState(state, [&](absl::string_view piece) { return store.Push(piece); }, piece_bytes);
    if (encoding.ok() && encoded) encoded();  // the store holds copies: `state` is no longer read
    absl::Status storing = store.Finish();    // sha, bytes and pieces are final once it returns
    RETURN_IF_ERROR(storing);
    return encoding;
  }));
  std::string manifest(kCheckpointMagic);
  absl::StrAppend(&manifest, record_format::EncodeSeq(seq), hash, record_format::EncodeSeq(first),
                  record_format::EncodeSeq(pieces), record_format::EncodeSeq(bytes), sha.Finish());
  RETURN_IF_ERROR(log.PutCheckpoint(kCheckpointKey, manifest));  // after the pieces are durable
  RETURN_IF_ERROR(log.DeleteCheckpoints(PieceKey(0, 0), PieceKey(seq, first)));
  return log.DeleteCheckpoints(PieceKey(seq, first + pieces), kPiecesEnd);
}

}  // namespace salesledger
