// The gRPC server: ledger services, the standard health service and server reflection.
// Thread-safety: Start, port and Shutdown from one thread; the services run on gRPC's threads.
#ifndef SALESLEDGER_SERVICES_SERVER_H_
#define SALESLEDGER_SERVICES_SERVER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "services/cluster_node.h"
#include "services/ledger.h"
#include "services/metrics.h"

namespace salesledger {

struct ServerOptions {
  std::string listen = "127.0.0.1:50051";   // host:port; port 0 picks a free one
  std::string tls_cert_file;                // PEM; TLS when both cert and key are given
  std::string tls_key_file;
  std::string tls_client_ca_file;           // PEM; with TLS, require client certificates it signed
  Metrics* metrics = nullptr;               // not owned; when set, every call is counted in it
  const ClusterNode* cluster = nullptr;     // not owned; replicated mode: its part in GetStatus
};

class Server {
 public:
  // Starts serving `ledger` (not owned; must outlive the server).
  static absl::StatusOr<std::unique_ptr<Server>> Start(const ServerOptions& options, Ledger* ledger);
  ~Server();

  int port() const;  // the port actually bound
  // Stops accepting calls, lets in-flight calls finish (up to `grace`), then returns.
  void Shutdown(absl::Duration grace);

 private:
  class Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace salesledger

#endif  // SALESLEDGER_SERVICES_SERVER_H_
