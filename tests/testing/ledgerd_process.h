// Runs a real ledgerd as a child process on a free loopback port, for end-to-end tests.
#ifndef SALESLEDGER_TESTS_TESTING_LEDGERD_PROCESS_H_
#define SALESLEDGER_TESTS_TESTING_LEDGERD_PROCESS_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "grpcpp/grpcpp.h"

namespace salesledger::testing {

class LedgerdProcess {
 public:
  // Starts `binary --data-dir data_dir --listen 127.0.0.1:0 extra_args...` and waits until it
  // serves. Aborts the test process if it does not within 30 s.
  LedgerdProcess(std::string binary, std::string data_dir, std::vector<std::string> extra_args = {});
  ~LedgerdProcess();  // SIGKILLs a child that is still running

  int port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  std::shared_ptr<grpc::Channel> Channel() const;
  std::string AdminToken() const;  // the contents of <data-dir>/admin.token, trimmed
  const std::string& output_path() const { return output_path_; }

  // Sends `signal` and waits for the exit. Returns the exit code, or 128 + signal if killed.
  int Stop(int signal);
  // Sends `signal` without waiting (SIGSTOP, SIGCONT).
  void Signal(int signal);
  // Waits up to `timeout_ms` for the process to exit by itself: its exit code as Stop's, or -1
  // when it is still running.
  int WaitForExit(int timeout_ms);

 private:
  std::string data_dir_;
  std::string output_path_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// Runs a shell `command`, returning its exit code and (via `output`) what it printed.
int RunCommand(const std::string& command, std::string* output);

// Adds `authorization: Bearer <token>` to a client context.
void Authorize(grpc::ClientContext& context, const std::string& token);

}  // namespace salesledger::testing

#endif  // SALESLEDGER_TESTS_TESTING_LEDGERD_PROCESS_H_
