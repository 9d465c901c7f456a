// decide: a command against the state -> the one event it causes, or a refusal (DESIGN.md).
// Pure: no I/O, no clock (recorded_at and seq come in the context).
#ifndef SALESLEDGER_DOMAIN_DECIDE_H_
#define SALESLEDGER_DOMAIN_DECIDE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "domain/state.h"
#include "salesledger/v1/commands.pb.h"
#include "salesledger/v1/event.pb.h"

namespace salesledger {

struct DecideContext {
  const Person& actor;             // the authenticated principal
  absl::Time recorded_at;          // the time the event will be recorded at
  uint64_t seq = 0;                // the seq it will get
  std::string token_sha256;        // issue_token: SHA-256 of the token the service generated
};

// Checks `command` against `state` with the codes of SPEC.md §4, in this order: the actor's role
// (PERMISSION_DENIED), the fields (INVALID_ARGUMENT), the project and the actor's access to it
// (NOT_FOUND, PERMISSION_DENIED), references (NOT_FOUND), new ids (ALREADY_EXISTS), expected_seq
// (ABORTED), then the state (FAILED_PRECONDITION). On success fills `event`'s body, project_id,
// occurred_at and any number the ledger assigns (receipt_no); the caller sets the rest of the
// envelope. On refusal `event` is unspecified.
absl::Status Decide(const State& state, const salesledger::v1::Command& command, const DecideContext& context,
                    salesledger::v1::Event& event);

// The command's name as in scenario files and event bodies ("log_visit"); "" when none is set.
std::string CommandName(const salesledger::v1::Command& command);

}  // namespace salesledger

#endif  // SALESLEDGER_DOMAIN_DECIDE_H_
