#include "queries/payments.h"

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "queries/read_support.h"
#include "queries/views.h"

namespace salesledger {

absl::StatusOr<v1::PaymentView> GetPayment(const State& state, const v1::GetPaymentRequest& request) {
  ASSIGN_OR_RETURN(const Project& p, ProjectOf(state, request.project_id()));
  auto it = p.payments.find(request.payment_id());
  if (it == p.payments.end()) return absl::NotFoundError(absl::StrCat("payment '", request.payment_id(), "' not found"));
  return PaymentViewOf(p, it->first, it->second);
}

absl::StatusOr<v1::ListPaymentsResponse> ListPayments(const State& state, const v1::ListPaymentsRequest& request) {
  ASSIGN_OR_RETURN(const Project& p, ProjectOf(state, request.project_id()));
  v1::ListPaymentsResponse out;
  const int page = PageSize(request.page_size());
  for (auto it = p.payments.upper_bound(request.page_token()); it != p.payments.end(); ++it) {
    const Payment& pay = it->second;
    if (!request.subscription_id().empty() && pay.subscription_id != request.subscription_id()) continue;
    if (!request.customer_id().empty() && pay.customer_id != request.customer_id()) continue;
    if (out.payments_size() == page) {
      out.set_next_page_token(out.payments(page - 1).payment_id());
      break;
    }
    *out.add_payments() = PaymentViewOf(p, it->first, pay);
  }
  return out;
}

}  // namespace salesledger
