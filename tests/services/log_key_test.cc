// The log's signing key file (services/log_key.h): made once with the asked-for or default name,
// kept, never renamed, and refused when others may read it.
#include "services/log_key.h"

#include <sys/stat.h>

#include <filesystem>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace salesledger {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using testing::IsOk;
using testing::StatusIs;
using Code = absl::StatusCode;

TEST(LogKeyTest, MadeOnceReadOwnerOnlyAndKept) {
  testing::TempDir dir;
  auto made = LoadOrCreateLogKey(dir.path(), "example.com/sales");
  ASSERT_THAT(made.status(), IsOk());
  EXPECT_TRUE(made->created);
  EXPECT_EQ(made->signer.name, "example.com/sales");
  EXPECT_EQ(made->signer.type, note::kEd25519);
  struct stat st;
  ASSERT_EQ(::stat(LogKeyPath(dir.path()).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  auto again = LoadOrCreateLogKey(dir.path(), "");  // no name: whatever the key has
  ASSERT_THAT(again.status(), IsOk());
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->signer.verifier().ToString(), made->signer.verifier().ToString());
  EXPECT_THAT(LoadOrCreateLogKey(dir.path(), "example.com/other").status(),
              StatusIs(Code::kFailedPrecondition, HasSubstr("this log is named 'example.com/sales'")));

  std::filesystem::permissions(LogKeyPath(dir.path()), std::filesystem::perms::group_read,
                               std::filesystem::perm_options::add);
  EXPECT_THAT(ReadLogKey(dir.path()).status(), StatusIs(Code::kFailedPrecondition, HasSubstr("has mode 0640")));
}

TEST(LogKeyTest, TheDefaultNameIsTheHostAndTheDataDir) {
  testing::TempDir dir;
  const std::string data = dir.Sub("sales data+1");
  std::filesystem::create_directories(data);
  auto made = LoadOrCreateLogKey(data, "");
  ASSERT_THAT(made.status(), IsOk());
  EXPECT_THAT(made->signer.name, MatchesRegex("[^ +]+/salesledger/sales-data-1"));
  EXPECT_EQ(DefaultLogName(data), made->signer.name);
}

TEST(LogKeyTest, RefusesANameThatIsNoKeyName) {
  testing::TempDir dir;
  EXPECT_THAT(LoadOrCreateLogKey(dir.path(), "two words").status(),
              StatusIs(Code::kInvalidArgument, HasSubstr("--log-name 'two words'")));
  EXPECT_THAT(ReadLogKey(dir.path()).status(), StatusIs(Code::kNotFound, HasSubstr("does not exist")));
}

}  // namespace
}  // namespace salesledger
