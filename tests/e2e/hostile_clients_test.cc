// Slow and hostile clients against a real ledgerd (issue 6): a thousand idle connections,
// subscribers that never read, oversize requests and bytes that are not HTTP/2. Through all of
// it, an ordinary clerk's entries and queries still get answered, and the server still stops
// cleanly.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "salesledger/v1/admin.grpc.pb.h"
#include "salesledger/v1/audit.grpc.pb.h"
#include "salesledger/v1/entry.grpc.pb.h"
#include "tests/testing/ledgerd_process.h"
#include "tests/testing/temp_dir.h"

namespace salesledger {
namespace {

using ::testing::HasSubstr;

// A TCP connection to the server that sends what it is told and nothing else.
class RawConnection {
 public:
  explicit RawConnection(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = fd_ >= 0 && ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  }
  ~RawConnection() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return connected_; }
  bool Send(const std::string& bytes) { return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) >= 0; }
  // True when the server closed the connection within `timeout` (reading and dropping what it sent).
  bool ClosedByServer(absl::Duration timeout) {
    timeval tv{static_cast<time_t>(absl::ToInt64Seconds(timeout)), 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    char buf[4096];
    const absl::Time deadline = absl::Now() + timeout;
    while (absl::Now() < deadline) {
      const ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
      if (n == 0) return true;
      if (n < 0) return errno == ECONNRESET;
    }
    return false;
  }

 private:
  int fd_;
  bool connected_ = false;
};

class HostileClientsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // A thousand connections need a thousand descriptors here (ledgerd raises its own limit).
    rlimit limit{};
    ::getrlimit(RLIMIT_NOFILE, &limit);
    if (limit.rlim_cur < 4096) {
      limit.rlim_cur = std::min<rlim_t>(limit.rlim_max, 4096);
      ::setrlimit(RLIMIT_NOFILE, &limit);
    }
    ledgerd_ = std::make_unique<testing::LedgerdProcess>(LEDGERD_PATH, dir_.Sub("data"));
    token_ = ledgerd_->AdminToken();
  }
  void TearDown() override {
    // Stopping must not hang on the hostile connections: the server cancels what is left.
    const absl::Time start = absl::Now();
    EXPECT_EQ(ledgerd_->Stop(SIGTERM), 0);
    EXPECT_LT(absl::Now() - start, absl::Seconds(20));
  }

  // An ordinary client on a connection of its own: adds a person (an entry), then reads the head.
  // Returns the head seq, or 0 when either call failed.
  uint64_t OrdinaryClerk() {
    auto channel = grpc::CreateCustomChannel(ledgerd_->address(), grpc::InsecureChannelCredentials(), Unshared());
    v1::AddPersonRequest add;
    add.set_request_id(absl::StrCat("clerk-", ++clerks_));
    add.set_person_id(absl::StrCat("p", clerks_));
    add.set_name("clerk");
    add.add_roles(v1::CONSULTANT);
    v1::EntryResponse entry;
    {
      grpc::ClientContext ctx;
      ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
      testing::Authorize(ctx, token_);
      grpc::Status s = v1::AdminService::NewStub(channel)->AddPerson(&ctx, add, &entry);
      if (!s.ok()) {
        ADD_FAILURE() << "add_person: " << s.error_message();
        return 0;
      }
    }
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    testing::Authorize(ctx, token_);
    v1::GetHeadResponse head;
    grpc::Status s = v1::AuditService::NewStub(channel)->GetHead(&ctx, v1::GetHeadRequest(), &head);
    if (!s.ok()) {
      ADD_FAILURE() << "get_head: " << s.error_message();
      return 0;
    }
    EXPECT_EQ(head.seq(), entry.seq());
    return head.seq();
  }

  // Channel arguments that keep gRPC from sharing one connection between channels.
  static grpc::ChannelArguments Unshared() {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    return args;
  }

  testing::TempDir dir_;
  std::unique_ptr<testing::LedgerdProcess> ledgerd_;
  std::string token_;
  int clerks_ = 0;
};

TEST_F(HostileClientsTest, AThousandIdleConnectionsDoNotCrowdOutAClerk) {
  std::vector<std::unique_ptr<RawConnection>> idle;
  for (int i = 0; i < 1000; ++i) {
    idle.push_back(std::make_unique<RawConnection>(ledgerd_->port()));
    ASSERT_TRUE(idle.back()->connected()) << "connection " << i;
  }
  EXPECT_EQ(OrdinaryClerk(), 3u);  // seq 1 is the genesis, seq 2 ledgerd's start
  // Half of them start an HTTP/2 connection (the preface) and then go quiet.
  for (size_t i = 0; i < idle.size(); i += 2) idle[i]->Send("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
  EXPECT_EQ(OrdinaryClerk(), 4u);
}

TEST_F(HostileClientsTest, SubscribersThatNeverReadDoNotStallTheOthers) {
  // Eight subscribers that open the stream and never read it: the server's writes to them back up
  // against flow control.
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts;
  std::vector<std::unique_ptr<grpc::ClientReader<v1::ReadEventsResponse>>> streams;
  for (int i = 0; i < 8; ++i) {
    channels.push_back(grpc::CreateCustomChannel(ledgerd_->address(), grpc::InsecureChannelCredentials(), Unshared()));
    contexts.push_back(std::make_unique<grpc::ClientContext>());
    testing::Authorize(*contexts.back(), token_);
    v1::SubscribeRequest request;
    request.set_include_raw(true);
    streams.push_back(v1::AuditService::NewStub(channels.back())->Subscribe(contexts.back().get(), request));
  }
  // Far more than a stream's first flow-control window (64 KiB): 3,000 entries of ~700 bytes as
  // streamed (raw bytes included), sent in batches.
  auto entry = v1::EntryService::NewStub(ledgerd_->Channel());
  for (int b = 0; b < 3; ++b) {
    v1::CommandBatch batch;
    for (int i = 0; i < 1000; ++i) {
      v1::AddPersonRequest* add = batch.add_commands()->mutable_add_person();
      add->set_request_id(absl::StrCat("bulk-", b, "-", i, std::string(100, 'r')));
      add->set_person_id(absl::StrCat("bulk", b, "x", i));
      add->set_name(std::string(33, 'n') + std::string(66, 'm'));
      add->add_roles(v1::CONSULTANT);
    }
    grpc::ClientContext ctx;
    testing::Authorize(ctx, token_);
    v1::CommandBatchResponse response;
    grpc::Status s = entry->SubmitBatch(&ctx, batch, &response);
    ASSERT_TRUE(s.ok()) << s.error_message();
    ASSERT_EQ(response.results_size(), 1000);
    EXPECT_EQ(response.results(999).code(), 0) << response.results(999).message();
  }
  EXPECT_EQ(OrdinaryClerk(), 3003u);
  EXPECT_EQ(OrdinaryClerk(), 3004u);
  for (auto& c : contexts) c->TryCancel();
}

TEST_F(HostileClientsTest, OversizeRequestsAndGarbageBytesAreTurnedAway) {
  // Over the 1 MiB request limit: RESOURCE_EXHAUSTED, nothing appended.
  {
    auto admin = v1::AdminService::NewStub(ledgerd_->Channel());
    v1::AddPersonRequest add;
    add.set_request_id("huge");
    add.set_person_id("huge");
    add.set_name(std::string(2 << 20, 'x'));
    add.add_roles(v1::CONSULTANT);
    grpc::ClientContext ctx;
    testing::Authorize(ctx, token_);
    v1::EntryResponse r;
    grpc::Status s = admin->AddPerson(&ctx, add, &r);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << s.error_message();
    EXPECT_THAT(s.error_message(), ::testing::HasSubstr("at most 1 MiB"));
    // Past what gRPC itself takes in (request_size.h): still RESOURCE_EXHAUSTED, in gRPC's words.
    add.set_name(std::string(20 << 20, 'x'));
    grpc::ClientContext huge;
    testing::Authorize(huge, token_);
    s = admin->AddPerson(&huge, add, &r);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << s.error_message();
  }
  // Not HTTP/2 at all, and a valid preface followed by a frame header that lies about its length:
  // the server drops both connections.
  RawConnection http1(ledgerd_->port());
  ASSERT_TRUE(http1.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_TRUE(http1.ClosedByServer(absl::Seconds(10)));
  RawConnection bad_frames(ledgerd_->port());
  ASSERT_TRUE(bad_frames.Send(std::string("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") +
                              std::string("\xff\xff\xff\x04\x00\x00\x00\x00\x00", 9) + std::string(64, '\xee')));
  EXPECT_TRUE(bad_frames.ClosedByServer(absl::Seconds(10)));
  // Random bytes from many connections at once.
  std::vector<std::unique_ptr<RawConnection>> noise;
  uint32_t x = 12345;
  for (int i = 0; i < 50; ++i) {
    noise.push_back(std::make_unique<RawConnection>(ledgerd_->port()));
    std::string bytes(4096, '\0');
    for (char& c : bytes) c = static_cast<char>((x = x * 1103515245 + 12345) >> 16);
    noise.back()->Send(bytes);
  }
  EXPECT_EQ(OrdinaryClerk(), 3u);  // the oversize request appended nothing
}

}  // namespace
}  // namespace salesledger
