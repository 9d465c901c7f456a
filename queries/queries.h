// The views of SPEC.md §5 built from a State: pure functions, no I/O, no clock. Who may read what
// is the caller's business (services/query_service.cc); phone masking needs the reader.
#ifndef SALESLEDGER_QUERIES_QUERIES_H_
#define SALESLEDGER_QUERIES_QUERIES_H_

#include "absl/status/statusor.h"
#include "domain/state.h"
#include "salesledger/v1/query.pb.h"

namespace salesledger {

absl::StatusOr<v1::UnitView> GetUnit(const State& state, const v1::GetUnitRequest& request);
absl::StatusOr<v1::ListUnitsResponse> ListUnits(const State& state, const v1::ListUnitsRequest& request);

// Phones are masked unless `reader` is the owning consultant, an AUDITOR or ADMIN, or a SALES_LEAD
// of the project (SPEC.md §3.3).
absl::StatusOr<v1::CustomerView> GetCustomer(const State& state, const v1::GetCustomerRequest& request,
                                             const Person& reader);
absl::StatusOr<v1::ListCustomersResponse> ListCustomers(const State& state, const v1::ListCustomersRequest& request,
                                                        const Person& reader);

absl::StatusOr<v1::DocumentView> GetSubscription(const State& state, const v1::GetDocumentRequest& request);
absl::StatusOr<v1::DocumentView> GetContract(const State& state, const v1::GetDocumentRequest& request);
absl::StatusOr<v1::PaymentView> GetPayment(const State& state, const v1::GetPaymentRequest& request);
absl::StatusOr<v1::ListPaymentsResponse> ListPayments(const State& state, const v1::ListPaymentsRequest& request);

absl::StatusOr<v1::DailyCashReport> GetDailyCashReport(const State& state, const v1::DailyCashReportRequest& request);
absl::StatusOr<v1::SalesReport> GetSalesReport(const State& state, const v1::SalesReportRequest& request);
absl::StatusOr<v1::PlanVsActual> GetPlanVsActual(const State& state, const v1::PlanVsActualRequest& request);

absl::StatusOr<v1::TimelinessResponse> GetTimeliness(const State& state, const v1::TimelinessRequest& request);
absl::StatusOr<v1::ListViolationsResponse> ListViolations(const State& state, const v1::ListViolationsRequest& request);
absl::StatusOr<v1::PenaltyStatement> GetPenaltyStatement(const State& state, const v1::PenaltyStatementRequest& request);

// Every (person, period) that has a violation, sorted: the statements SPEC.md §8 reports.
std::vector<v1::PenaltyStatement> AllPenaltyStatements(const State& state);

v1::ViolationView ViolationViewOf(const Violations& violations, const Violation& v);

}  // namespace salesledger

#endif  // SALESLEDGER_QUERIES_QUERIES_H_
