// Auditors' cosignatures of the log's checkpoints (SPEC.md §5, "Proofs"). What makes one valid is
// the log's key and its tree, which the state does not hold: the ledger checks the signatures and
// the root against the tree right after this decides (services/ledger.cc), and `ledgerctl verify`
// checks every recorded one again. Here: the fields, and the record.
#include "domain/commands.h"
#include "domain/decide_support.h"
#include "domain/validation.h"
#include "base/status_macros.h"

namespace salesledger {

using namespace salesledger::v1;

absl::Status DecideAddCosignature(const State&, const AddCosignatureRequest& r, const DecideContext&, Event& event) {
  RETURN_IF_ERROR(CheckFields(r, {Text("checkpoint"), Text("cosigner_key")}));
  Record(event, event.mutable_add_cosignature(), r);
  return absl::OkStatus();
}

void ApplyAddCosignature(State&, const Event&, const AddCosignatureRequest&) {}  // a statement, kept in the log

}  // namespace salesledger
