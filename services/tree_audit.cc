#include "services/tree_audit.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "transparency/cosignature.h"

namespace salesledger {
namespace {

absl::Status Field(absl::string_view field, const absl::Status& why) {
  return absl::InvalidArgumentError(absl::StrCat("field '", field, "': ", why.message()));
}

}  // namespace

absl::StatusOr<Cosignature> CheckCosignature(const EventLog& log, const note::Verifier& log_key,
                                             absl::string_view checkpoint, absl::string_view cosigner_key) {
  absl::StatusOr<note::Verifier> cosigner = note::ParseVerifierKey(cosigner_key);
  if (!cosigner.ok()) return Field("cosigner_key", cosigner.status());
  if (cosigner->type != note::kEd25519Cosignature) {
    return Field("cosigner_key", absl::InvalidArgumentError(absl::StrCat(
                                     "the key of ", cosigner->name, " has signature type ", cosigner->type,
                                     "; a cosigner's key has type 4 (tlog-cosignature)")));
  }
  absl::StatusOr<TreeCheckpoint> opened = OpenCheckpoint(checkpoint, log_key);
  if (!opened.ok()) return Field("checkpoint", opened.status());
  absl::StatusOr<uint64_t> timestamp = VerifyCosignature(checkpoint, *cosigner);
  if (!timestamp.ok()) return Field("checkpoint", timestamp.status());
  const uint64_t size = log.tree_size();
  if (opened->size > size) {
    return Field("checkpoint", absl::InvalidArgumentError(absl::StrCat("it is of tree size ", opened->size,
                                                                       "; this log's tree has ", size, " leaves")));
  }
  ASSIGN_OR_RETURN(const std::string root, log.TreeRoot(opened->size));
  if (root != opened->root) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the cosigned checkpoint says tree size ", opened->size, " has root ", absl::Base64Escape(opened->root),
        "; this log's tree at that size has root ", absl::Base64Escape(root)));
  }
  return Cosignature{*std::move(opened), cosigner->name, *timestamp};
}

absl::StatusOr<TreeAudit> AuditTree(const EventLog& log, const note::Verifier& log_key) {
  TreeAudit audit;
  audit.size = log.tree_size();
  ASSIGN_OR_RETURN(audit.root, log.VerifyTree());
  absl::Status bad;
  RETURN_IF_ERROR(log.ReadTreeHeads([&](uint64_t size, absl::string_view note) {
    absl::StatusOr<TreeCheckpoint> opened = OpenCheckpoint(note, log_key);
    absl::StatusOr<std::string> root = opened.ok() && opened->size == size && size <= audit.size
                                           ? log.TreeRoot(size)
                                           : absl::StatusOr<std::string>(absl::DataLossError("unreadable"));
    if (!opened.ok()) {
      bad = absl::DataLossError(absl::StrCat("the signed checkpoint of tree size ", size,
                                             " does not verify with the log's key: ", opened.status().message()));
    } else if (!root.ok() || *root != opened->root) {
      bad = absl::DataLossError(absl::StrCat("the signed checkpoint of tree size ", size,
                                             " is not the tree's: the events up to ", size, " changed after it was signed"));
    }
    ++audit.checkpoints;
    return bad.ok();
  }));
  RETURN_IF_ERROR(bad);
  v1::Event event;
  RETURN_IF_ERROR(log.Read(1, 0, [&](const StoredEvent& e) {
    if (!event.ParseFromArray(e.bytes.data(), e.bytes.size())) {
      bad = absl::DataLossError(absl::StrCat("seq ", e.seq, ": the stored event cannot be decoded"));
      return false;
    }
    if (event.body_case() != v1::Event::kAddCosignature) return true;
    const v1::AddCosignatureRequest& c = event.add_cosignature();
    absl::StatusOr<Cosignature> checked = CheckCosignature(log, log_key, c.checkpoint(), c.cosigner_key());
    if (!checked.ok()) {
      bad = absl::DataLossError(absl::StrCat(
          "the cosignature recorded at seq ", e.seq, " by ", event.actor_id(), " no longer holds: ",
          checked.status().message(), absl::IsFailedPrecondition(checked.status())
                                          ? ". The events it covers changed after the cosigner saw them"
                                          : ""));
      return false;
    }
    ++audit.cosignatures;
    return true;
  }));
  RETURN_IF_ERROR(bad);
  return audit;
}

}  // namespace salesledger
