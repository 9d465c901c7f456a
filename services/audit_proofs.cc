// AuditService's proofs (SPEC.md §5, "Proofs"): checkpoints of the Merkle tree, inclusion and
// consistency proofs, the tree's verification, and auditors' cosignatures.
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "services/audit_service.h"
#include "services/command_services.h"
#include "services/grpc_status.h"
#include "services/tree_audit.h"
#include "transparency/merkle.h"

namespace salesledger {
namespace {

// The size a proof is asked for: `requested`, or the latest signed checkpoint's when 0.
absl::StatusOr<uint64_t> ProofSize(const Ledger& ledger, uint64_t requested) {
  if (requested != 0) return requested;
  ASSIGN_OR_RETURN(SignedTreeHead latest, ReadTreeHead(ledger.log(), ledger.tree_heads().verifier(), 0));
  return latest.size;
}

}  // namespace

grpc::Status AuditServiceImpl::GetCheckpoint(grpc::ServerContext* context, const v1::GetCheckpointRequest* request,
                                             v1::GetCheckpointResponse* response) {
  if (absl::Status s = Authorize(*context, *request, "read the log's checkpoints").status(); !s.ok()) return ToGrpc(s);
  absl::StatusOr<SignedTreeHead> head =
      ReadTreeHead(ledger_->log(), ledger_->tree_heads().verifier(), request->tree_size());
  if (!head.ok()) return ToGrpc(head.status());
  response->set_checkpoint(head->note);
  response->set_tree_size(head->size);
  response->set_root_hash(head->root);
  response->set_log_key(ledger_->tree_heads().verifier().ToString());
  return grpc::Status::OK;
}

grpc::Status AuditServiceImpl::GetInclusionProof(grpc::ServerContext* context,
                                                 const v1::GetInclusionProofRequest* request,
                                                 v1::GetInclusionProofResponse* response) {
  if (absl::Status s = Authorize(*context, *request, "read proofs").status(); !s.ok()) return ToGrpc(s);
  absl::Status done = [&]() -> absl::Status {
    const uint64_t seq = request->seq();
    if (seq == 0) return absl::InvalidArgumentError("field 'seq' must be 1 or more (the seq of an entry)");
    ASSIGN_OR_RETURN(const uint64_t size, ProofSize(*ledger_, request->tree_size()));
    if (seq > size) {
      if (request->tree_size() == 0) {
        return absl::FailedPreconditionError(absl::StrCat(
            "seq ", seq, " is not in the latest signed checkpoint (tree size ", size,
            ") yet; a new checkpoint is signed within a second: ask again, or name a tree_size"));
      }
      return absl::InvalidArgumentError(absl::StrCat("field 'seq' is ", seq, ": not in a tree of size ", size));
    }
    ASSIGN_OR_RETURN(std::vector<std::string> proof, ledger_->log().InclusionProof(seq, size));
    RETURN_IF_ERROR(ledger_->log().Read(seq, seq, [&](const StoredEvent& e) {
      response->set_raw(e.bytes.data(), e.bytes.size());
      return false;
    }));
    response->set_seq(seq);
    response->set_leaf_index(seq - 1);
    response->set_tree_size(size);
    response->set_leaf_hash(merkle::LeafHash(response->raw()));
    for (std::string& hash : proof) response->add_proof(std::move(hash));
    return absl::OkStatus();
  }();
  return ToGrpc(done);
}

grpc::Status AuditServiceImpl::GetConsistencyProof(grpc::ServerContext* context,
                                                   const v1::GetConsistencyProofRequest* request,
                                                   v1::GetConsistencyProofResponse* response) {
  if (absl::Status s = Authorize(*context, *request, "read proofs").status(); !s.ok()) return ToGrpc(s);
  absl::Status done = [&]() -> absl::Status {
    if (request->old_size() == 0) return absl::InvalidArgumentError("field 'old_size' must be 1 or more");
    ASSIGN_OR_RETURN(const uint64_t new_size, ProofSize(*ledger_, request->new_size()));
    if (request->old_size() > new_size) {
      return absl::InvalidArgumentError(absl::StrCat("field 'old_size' is ", request->old_size(),
                                                     ": more than new_size ", new_size));
    }
    ASSIGN_OR_RETURN(std::vector<std::string> proof, ledger_->log().ConsistencyProof(request->old_size(), new_size));
    response->set_old_size(request->old_size());
    response->set_new_size(new_size);
    for (std::string& hash : proof) response->add_proof(std::move(hash));
    return absl::OkStatus();
  }();
  return ToGrpc(done);
}

grpc::Status AuditServiceImpl::VerifyTree(grpc::ServerContext* context, const v1::VerifyTreeRequest* request,
                                          v1::VerifyTreeResponse* response) {
  if (absl::Status s = Authorize(*context, *request, "verify the tree").status(); !s.ok()) return ToGrpc(s);
  absl::StatusOr<TreeAudit> audit = AuditTree(ledger_->log(), ledger_->tree_heads().verifier());
  if (!audit.ok()) return ToGrpc(audit.status());
  response->set_tree_size(audit->size);
  response->set_root_hash(audit->root);
  response->set_checkpoints_checked(audit->checkpoints);
  response->set_cosignatures_checked(audit->cosignatures);
  return grpc::Status::OK;
}

grpc::Status AuditServiceImpl::AddCosignature(grpc::ServerContext* context, const v1::AddCosignatureRequest* request,
                                              v1::EntryResponse* response) {
  v1::Command command;
  *command.mutable_add_cosignature() = *request;
  return RunCommand(*ledger_, forwarder_, *context, *request, command, response);
}

}  // namespace salesledger
