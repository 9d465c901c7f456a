#include "services/document_service.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "base/status_macros.h"
#include "documents/document_pdf.h"
#include "services/auth.h"
#include "services/command_services.h"
#include "services/grpc_status.h"
#include "services/request_size.h"

namespace salesledger {
namespace {

// The print as the page shows it: each sealed party name opened (the printer may see it: printing
// is the cashier's and customer service's own entry), or 已删除 once the customer is erased.
v1::Event WithPartiesOpened(const PersonalFields& fields, const v1::Event& print) {
  v1::Event page = print;
  for (auto& party : *page.mutable_print_document()->mutable_parties()) {
    if (party.sealed_name().empty()) continue;
    absl::StatusOr<std::string> name =
        fields.Open(page.project_id(), party.customer_id(), PersonalFields::kName, party.sealed_name());
    party.set_name(name.ok() ? *name : kErasedName);
    party.clear_sealed_name();
  }
  return page;
}

}  // namespace

absl::StatusOr<QrPayload> QrOfPrint(const EventLog& log, const v1::Event& print, absl::Duration wait) {
  const uint64_t entry = print.print_document().entry_seq();
  const absl::Time deadline = absl::Now() + wait;
  for (;;) {
    ASSIGN_OR_RETURN(auto checkpoint, log.FirstTreeHeadFrom(entry));
    if (checkpoint) {
      ASSIGN_OR_RETURN(std::string leaf, log.LeafHash(entry));
      return QrPayload{entry, std::move(leaf), print.seq(), std::move(checkpoint->second)};
    }
    if (absl::Now() > deadline) break;
    absl::SleepFor(absl::Milliseconds(50));
  }
  return absl::UnavailableError(absl::StrCat("the print is recorded (seq ", print.seq(),
                                             "), but no signed checkpoint holds entry ", entry,
                                             " yet; retry with the same request_id for the page"));
}

grpc::Status DocumentServiceImpl::PrintDocument(grpc::ServerContext* context, const v1::PrintDocumentRequest* request,
                                                v1::PrintedDocumentResponse* response) {
  absl::Status done = [&]() -> absl::Status {
    RETURN_IF_ERROR(CheckRequestSize(*request));
    ASSIGN_OR_RETURN(const Person person, AuthenticateCall(*context, *ledger_));
    v1::Command command;
    *command.mutable_print_document() = *request;
    ASSIGN_OR_RETURN(const CommandOutcome outcome, ledger_->Execute(person.person_id, command));
    // The signer signs within a second of the entry; the entry was made before the print.
    ASSIGN_OR_RETURN(const QrPayload qr, QrOfPrint(ledger_->log(), outcome.event, absl::Seconds(3)));
    const std::string qr_text = qr.ToText();
    ASSIGN_OR_RETURN(std::string pdf, RenderDocumentPdf(WithPartiesOpened(ledger_->personal_fields(), outcome.event),
                                                        qr_text));
    FillEntryResponse(outcome, response->mutable_entry());
    response->set_copy(outcome.event.print_document().copy());
    response->set_document_no(outcome.event.print_document().document_no());
    response->set_qr_text(qr_text);
    response->set_pdf(std::move(pdf));
    return absl::OkStatus();
  }();
  return ToGrpc(done);
}

}  // namespace salesledger
