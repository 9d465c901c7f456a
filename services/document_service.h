// DocumentService (SPEC.md §3.11): prints a document as an entry and answers the page, drawn from
// that entry with the QR code of the entry it is of. Thread-safe: gRPC calls it from many threads.
#ifndef SALESLEDGER_SERVICES_DOCUMENT_SERVICE_H_
#define SALESLEDGER_SERVICES_DOCUMENT_SERVICE_H_

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "documents/qr_payload.h"
#include "salesledger/v1/documents.grpc.pb.h"
#include "services/ledger.h"

namespace salesledger {

class DocumentServiceImpl final : public v1::DocumentService::Service {
 public:
  explicit DocumentServiceImpl(Ledger* ledger) : ledger_(ledger) {}  // not owned

  grpc::Status PrintDocument(grpc::ServerContext* context, const v1::PrintDocumentRequest* request,
                             v1::PrintedDocumentResponse* response) override;

 private:
  Ledger* ledger_;
};

// The QR code of a print_document event: its entry, the entry's leaf hash, and the first signed
// checkpoint that holds the entry (so that every rendering of this print is the same), waiting up
// to `wait` for the signer when there is none yet; UNAVAILABLE after that.
absl::StatusOr<QrPayload> QrOfPrint(const EventLog& log, const v1::Event& print, absl::Duration wait);

}  // namespace salesledger

#endif  // SALESLEDGER_SERVICES_DOCUMENT_SERVICE_H_
