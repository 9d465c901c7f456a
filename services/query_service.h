// QueryService (SPEC.md §5): the derived views, read from the published state, or folded afresh
// for `as_of_seq`. Who may read what:
//  - a project's views: people on the project, and ADMIN, AUDITOR, FINANCE_LEAD, INSPECTOR;
//  - violations, statements and timeliness of others: ADMIN, AUDITOR, FINANCE_LEAD, INSPECTOR, and
//    for timeliness the project's SALES_LEAD; everyone else reads their own only.
// Thread-safe: gRPC calls it from many threads; answers are read under the Ledger's reader lock.
#ifndef SALESLEDGER_SERVICES_QUERY_SERVICE_H_
#define SALESLEDGER_SERVICES_QUERY_SERVICE_H_

#include "salesledger/v1/query.grpc.pb.h"
#include "services/ledger.h"

namespace salesledger {

class QueryServiceImpl final : public v1::QueryService::Service {
 public:
  explicit QueryServiceImpl(Ledger* ledger) : ledger_(ledger) {}  // not owned

  grpc::Status GetUnit(grpc::ServerContext*, const v1::GetUnitRequest*, v1::UnitView*) override;
  grpc::Status ListUnits(grpc::ServerContext*, const v1::ListUnitsRequest*, v1::ListUnitsResponse*) override;
  grpc::Status GetCustomer(grpc::ServerContext*, const v1::GetCustomerRequest*, v1::CustomerView*) override;
  grpc::Status ListCustomers(grpc::ServerContext*, const v1::ListCustomersRequest*, v1::ListCustomersResponse*) override;
  grpc::Status GetSubscription(grpc::ServerContext*, const v1::GetDocumentRequest*, v1::DocumentView*) override;
  grpc::Status GetContract(grpc::ServerContext*, const v1::GetDocumentRequest*, v1::DocumentView*) override;
  grpc::Status GetPayment(grpc::ServerContext*, const v1::GetPaymentRequest*, v1::PaymentView*) override;
  grpc::Status ListPayments(grpc::ServerContext*, const v1::ListPaymentsRequest*, v1::ListPaymentsResponse*) override;
  grpc::Status GetDailyCashReport(grpc::ServerContext*, const v1::DailyCashReportRequest*, v1::DailyCashReport*) override;
  grpc::Status GetSalesReport(grpc::ServerContext*, const v1::SalesReportRequest*, v1::SalesReport*) override;
  grpc::Status GetPlanVsActual(grpc::ServerContext*, const v1::PlanVsActualRequest*, v1::PlanVsActual*) override;
  grpc::Status GetTimeliness(grpc::ServerContext*, const v1::TimelinessRequest*, v1::TimelinessResponse*) override;
  grpc::Status ListViolations(grpc::ServerContext*, const v1::ListViolationsRequest*, v1::ListViolationsResponse*) override;
  grpc::Status GetPenaltyStatement(grpc::ServerContext*, const v1::PenaltyStatementRequest*, v1::PenaltyStatement*) override;

 private:
  Ledger* ledger_;
};

}  // namespace salesledger

#endif  // SALESLEDGER_SERVICES_QUERY_SERVICE_H_
