// The current state of a record, in words, with the record or event that put it there: what a
// FAILED_PRECONDITION tells the clerk ("subscription S1 is not active: converted to contract K1
// at seq 30").
// Internal to domain/. Pure; the scans they make run only on the way to a refusal.
#ifndef SALESLEDGER_DOMAIN_DESCRIBE_H_
#define SALESLEDGER_DOMAIN_DESCRIBE_H_

#include <string>

#include "domain/state.h"

namespace salesledger {

// "SUBSCRIBED (subscription S1)", "HELD (held by the sales lead)", "DRAFT (not yet reviewed)".
std::string DescribeUnit(const Unit& unit);
// "active", "converted to contract K1 at seq 30", "cancelled by change CH1 at seq 41", "voided by
// void VD1 at seq 44".
std::string DescribeSubscription(const Project& project, const Subscription& subscription);
std::string DescribeContract(const Project& project, const Contract& contract);
std::string DescribeReservation(const Project& project, const Reservation& reservation);
// What was taken out of a payment: "refunded by RF1 (1000 fen, seq 52)", "transferred by T1 to
// subscription S2"; "voided by void VD2 at seq 60".
std::string DescribePaymentUse(const Project& project, absl::string_view payment_id, const Payment& payment);
std::string DescribeVoided(const Project& project, uint64_t entry_seq);
// "audited at seq 33", "rejected at seq 33".
std::string DescribeAudit(const Auditable& record);
// "approved at seq 41", "rejected at seq 41".
std::string DescribeDecision(DecisionStatus status, uint64_t decided_seq);

// The approved void of the entry at `entry_seq`, or nullptr.
const VoidRequest* ApprovedVoidOf(const Project& project, uint64_t entry_seq);

}  // namespace salesledger

#endif  // SALESLEDGER_DOMAIN_DESCRIBE_H_
