#include "services/server.h"


#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "base/files.h"
#include "services/audit_service.h"
#include "services/decode_error_interceptor.h"
#include "services/min_seq_interceptor.h"
#include "services/document_service.h"
#include "services/command_services.h"
#include "services/query_service.h"
#include "services/request_size.h"

namespace salesledger {

class Server::Impl {
 public:
  Impl(Ledger* ledger, const ClusterNode* cluster)
      : forwarder_(cluster != nullptr ? std::make_unique<WriteForwarder>(cluster) : nullptr),
        audit_(ledger, forwarder_.get()),
        entry_(ledger, forwarder_.get()),
        admin_(ledger, cluster, forwarder_.get()),
        query_(ledger),
        documents_(ledger) {}
  std::unique_ptr<WriteForwarder> forwarder_;  // replicated mode: a follower's way to the writer
  AuditServiceImpl audit_;
  EntryServiceImpl entry_;
  AdminServiceImpl admin_;
  QueryServiceImpl query_;
  DocumentServiceImpl documents_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() { Shutdown(absl::Seconds(5)); }

absl::StatusOr<std::unique_ptr<Server>> Server::Start(const ServerOptions& options, Ledger* ledger) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  std::shared_ptr<grpc::ServerCredentials> credentials = grpc::InsecureServerCredentials();
  if (!options.tls_cert_file.empty() || !options.tls_key_file.empty()) {
    auto cert = ReadWholeFile(options.tls_cert_file);
    auto key = ReadWholeFile(options.tls_key_file);
    if (!cert.ok()) return cert.status();
    if (!key.ok()) return key.status();
    grpc::SslServerCredentialsOptions ssl;
    ssl.pem_key_cert_pairs.push_back({*key, *cert});
    if (!options.tls_client_ca_file.empty()) {
      auto ca = ReadWholeFile(options.tls_client_ca_file);
      if (!ca.ok()) return ca.status();
      ssl.pem_root_certs = *ca;
      ssl.client_certificate_request = GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
    }
    credentials = grpc::SslServerCredentials(ssl);
  } else if (!options.tls_client_ca_file.empty()) {
    return absl::InvalidArgumentError("--tls-client-ca needs --tls-cert and --tls-key");
  }

  auto impl = std::make_unique<Impl>(ledger, options.cluster);
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen, credentials, &impl->port_);
  builder.SetMaxReceiveMessageSize(kMaxWireRequestBytes);  // handlers check the 1 MiB (request_size.h)
  // Keep a pool of polling threads instead of gRPC's default of at most 2 idle ones: under many
  // concurrent clients the default keeps creating and exiting threads, and every exit unmaps its
  // malloc arena (TLB shootdowns across both cores showed up in profiles).
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MIN_POLLERS, 4);
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MAX_POLLERS, 64);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(NewDecodeErrorInterceptorFactory());
  // Replicated mode only: an embedded ledger publishes every entry before it answers it.
  if (options.cluster != nullptr) interceptors.push_back(NewMinSeqInterceptorFactory(ledger));
  // After the decode-error rewrite, so that a call is counted with the code its client gets.
  if (options.metrics != nullptr) interceptors.push_back(NewMetricsInterceptorFactory(options.metrics));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  builder.RegisterService(&impl->audit_);
  builder.RegisterService(&impl->entry_);
  builder.RegisterService(&impl->admin_);
  builder.RegisterService(&impl->query_);
  builder.RegisterService(&impl->documents_);
  impl->server_ = builder.BuildAndStart();
  if (impl->server_ == nullptr || impl->port_ == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", options.listen));
  }
  impl->server_->GetHealthCheckService()->SetServingStatus(true);
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

int Server::port() const { return impl_->port_; }

void Server::Shutdown(absl::Duration grace) {
  if (impl_->server_ == nullptr) return;
  impl_->server_->GetHealthCheckService()->SetServingStatus(false);
  impl_->audit_.StopStreams();
  impl_->server_->Shutdown(absl::ToChronoTime(absl::Now() + grace));
  impl_->server_->Wait();
  impl_->server_.reset();
}

}  // namespace salesledger
