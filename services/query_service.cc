#include "services/query_service.h"

#include "absl/strings/str_cat.h"
#include "domain/access.h"
#include "queries/customers.h"
#include "queries/documents.h"
#include "queries/payments.h"
#include "queries/reports.h"
#include "queries/statements.h"
#include "queries/timeliness.h"
#include "queries/units.h"
#include "services/auth.h"
#include "services/grpc_status.h"
#include "services/request_size.h"

namespace salesledger {
namespace {

// Runs `query` on the state as of `as_of_seq` (0 = now) for an authenticated reader allowed by
// `allow` (judged on the current state: who may read is who the reader is now), and copies its
// answer into `response`.
template <typename Response, typename Allow, typename Query>
grpc::Status Serve(Ledger& ledger, const grpc::ServerContext& context, const google::protobuf::Message& request,
                   uint64_t as_of_seq, Response* response, Allow allow, Query query) {
  if (absl::Status s = CheckRequestSize(request); !s.ok()) return ToGrpc(s);
  absl::StatusOr<Person> reader = AuthenticateCall(context, ledger);
  if (!reader.ok()) return ToGrpc(reader.status());
  if (absl::Status s = ledger.Read([&](const State& now) { return allow(now, *reader); }); !s.ok()) return ToGrpc(s);
  absl::StatusOr<Response> answer;
  if (as_of_seq == 0) {
    answer = ledger.Read([&](const State& state) { return query(state, *reader); });
  } else {
    auto state = ledger.StateAt(as_of_seq);
    if (!state.ok()) return ToGrpc(state.status());
    answer = query(**state, *reader);
  }
  if (!answer.ok()) return ToGrpc(answer.status());
  *response = *std::move(answer);
  return grpc::Status::OK;
}

// Allows people on `project_id` (and the roles that act on every project).
auto ReadsProject(const std::string& project_id) {
  return [project_id](const State& state, const Person& p) { return RequireProject(state, p, project_id); };
}

}  // namespace

#define SL_PROJECT_QUERY(Method, Request, Response, Fn)                                                     \
  grpc::Status QueryServiceImpl::Method(grpc::ServerContext* context, const Request* request,                \
                                        Response* response) {                                                \
    return Serve(*ledger_, *context, *request, request->as_of_seq(), response, ReadsProject(request->project_id()),      \
                 [&](const State& state, const Person&) { return Fn(state, *request); });                   \
  }

SL_PROJECT_QUERY(GetUnit, v1::GetUnitRequest, v1::UnitView, salesledger::GetUnit)
SL_PROJECT_QUERY(ListUnits, v1::ListUnitsRequest, v1::ListUnitsResponse, salesledger::ListUnits)
SL_PROJECT_QUERY(GetSubscription, v1::GetDocumentRequest, v1::DocumentView, salesledger::GetSubscription)
SL_PROJECT_QUERY(GetContract, v1::GetDocumentRequest, v1::DocumentView, salesledger::GetContract)
SL_PROJECT_QUERY(GetPayment, v1::GetPaymentRequest, v1::PaymentView, salesledger::GetPayment)
SL_PROJECT_QUERY(ListPayments, v1::ListPaymentsRequest, v1::ListPaymentsResponse, salesledger::ListPayments)
SL_PROJECT_QUERY(GetDailyCashReport, v1::DailyCashReportRequest, v1::DailyCashReport, salesledger::GetDailyCashReport)
SL_PROJECT_QUERY(GetSalesReport, v1::SalesReportRequest, v1::SalesReport, salesledger::GetSalesReport)
SL_PROJECT_QUERY(GetPlanVsActual, v1::PlanVsActualRequest, v1::PlanVsActual, salesledger::GetPlanVsActual)
#undef SL_PROJECT_QUERY

grpc::Status QueryServiceImpl::GetCustomer(grpc::ServerContext* context, const v1::GetCustomerRequest* request,
                                           v1::CustomerView* response) {
  return Serve(*ledger_, *context, *request, request->as_of_seq(), response, ReadsProject(request->project_id()),
               [&](const State& state, const Person& reader) { return salesledger::GetCustomer(state, *request, reader, ledger_->personal_fields()); });
}

grpc::Status QueryServiceImpl::ListCustomers(grpc::ServerContext* context, const v1::ListCustomersRequest* request,
                                             v1::ListCustomersResponse* response) {
  return Serve(*ledger_, *context, *request, request->as_of_seq(), response, ReadsProject(request->project_id()),
               [&](const State& state, const Person& reader) { return salesledger::ListCustomers(state, *request, reader, ledger_->personal_fields()); });
}

grpc::Status QueryServiceImpl::GetTimeliness(grpc::ServerContext* context, const v1::TimelinessRequest* request,
                                             v1::TimelinessResponse* response) {
  v1::TimelinessRequest scoped = *request;
  auto allow = [&](const State& state, const Person& reader) -> absl::Status {
    if (ReadsProjectTimeliness(state, reader, request->project_id())) return absl::OkStatus();
    if (!request->person_id().empty() && request->person_id() != reader.person_id) {
      return absl::PermissionDeniedError(absl::StrCat(reader.person_id, " may read only their own timeliness"));
    }
    scoped.set_person_id(reader.person_id);
    return absl::OkStatus();
  };
  return Serve(*ledger_, *context, *request, request->as_of_seq(), response, allow,
               [&](const State& state, const Person&) { return salesledger::GetTimeliness(state, scoped); });
}

grpc::Status QueryServiceImpl::ListViolations(grpc::ServerContext* context, const v1::ListViolationsRequest* request,
                                              v1::ListViolationsResponse* response) {
  v1::ListViolationsRequest scoped = *request;
  auto allow = [&](const State& state, const Person& reader) -> absl::Status {
    if (ActsOnEveryProject(reader)) return absl::OkStatus();
    if (!request->person_id().empty()) return RequirePayReader(state, reader, request->person_id());
    // A project's violations, everyone's: a MANAGER who reads the project.
    if (!request->project_id().empty() && reader.HasRole(v1::MANAGER) &&
        ReadsProjectTimeliness(state, reader, request->project_id())) {
      return absl::OkStatus();
    }
    scoped.set_person_id(reader.person_id);
    return absl::OkStatus();
  };
  return Serve(*ledger_, *context, *request, request->as_of_seq(), response, allow,
               [&](const State& state, const Person&) { return salesledger::ListViolations(state, scoped); });
}

grpc::Status QueryServiceImpl::GetPenaltyStatement(grpc::ServerContext* context,
                                                   const v1::PenaltyStatementRequest* request,
                                                   v1::PenaltyStatement* response) {
  return Serve(*ledger_, *context, *request, request->as_of_seq(), response,
               [&](const State& state, const Person& reader) { return RequirePayReader(state, reader, request->person_id()); },
               [&](const State& state, const Person&) { return salesledger::GetPenaltyStatement(state, *request); });
}

}  // namespace salesledger
