#include "ledger/data_key_store.h"

#include <filesystem>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/aead.h"
#include "base/files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace salesledger {
namespace {

using ::testing::HasSubstr;
using testing::IsOk;
using testing::StatusIs;

class DataKeyStoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<DataKeyStore> Open(const std::string& master) {
    auto store = DataKeyStore::Open(dir_.Sub("keys"), master);
    EXPECT_THAT(store, IsOk());
    return store.ok() ? *std::move(store) : nullptr;
  }

  // The subject's stored record as RocksDB holds it, read beside the open store (a read-only
  // instance takes no lock).
  std::string StoredRecord(const std::string& subject) {
    rocksdb::DB* db = nullptr;
    EXPECT_TRUE(rocksdb::DB::OpenForReadOnly(rocksdb::Options(), dir_.Sub("keys"), &db).ok());
    std::string value;
    if (db != nullptr) db->Get(rocksdb::ReadOptions(), subject, &value);
    delete db;
    return value;
  }

  // The files of the store that hold `bytes` anywhere.
  std::vector<std::string> FilesHolding(const std::string& bytes) {
    std::vector<std::string> found;
    for (const auto& f : std::filesystem::recursive_directory_iterator(dir_.Sub("keys"))) {
      if (!f.is_regular_file()) continue;
      absl::StatusOr<std::string> content = ReadWholeFile(f.path().string());
      if (content.ok() && absl::StrContains(*content, bytes)) found.push_back(f.path().filename().string());
    }
    return found;
  }

  testing::TempDir dir_;
  const std::string master_ = *NewAeadKey();
};

TEST_F(DataKeyStoreTest, OneKeyPerSubjectSealedUnderTheMasterKeyAndKeptAcrossReopening) {
  std::string c1;
  {
    auto store = Open(master_);
    absl::StatusOr<std::string> key = store->KeyFor("BJF/C1");
    ASSERT_THAT(key, IsOk());
    EXPECT_EQ(key->size(), kAeadKeySize);
    c1 = *key;
    EXPECT_THAT(store->KeyFor("BJF/C1"), testing::IsOkAndHolds(c1));
    EXPECT_THAT(store->Get("BJF/C1"), testing::IsOkAndHolds(c1));
    EXPECT_NE(*store->KeyFor("BJF/C2"), c1);
    EXPECT_THAT(store->Get("BJF/C3"), StatusIs(absl::StatusCode::kNotFound, HasSubstr("BJF/C3 has no data key")));
    // Not on disk as it is: only sealed.
    EXPECT_THAT(FilesHolding(c1), ::testing::IsEmpty());
  }
  EXPECT_THAT(Open(master_)->Get("BJF/C1"), testing::IsOkAndHolds(c1));
  EXPECT_THAT(Open(*NewAeadKey())->Get("BJF/C1"),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("does not open under this master key")));
  EXPECT_THAT(DataKeyStore::Open(dir_.Sub("other"), "short"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("the master key is 32 bytes, not 5")));
}

TEST_F(DataKeyStoreTest, KeysForAnswersEachSubjectInOrderAndMakesEachOnce) {
  auto store = Open(master_);
  const std::string c1 = *store->KeyFor("BJF/C1");
  ASSERT_THAT(store->Erase("BJF/C9"), testing::StatusIs(absl::StatusCode::kNotFound, ::testing::HasSubstr("BJF/C9")));
  ASSERT_THAT(store->KeyFor("BJF/C9").status(), testing::IsOk());
  ASSERT_THAT(store->Erase("BJF/C9"), testing::IsOk());
  const std::vector<std::string> subjects = {"BJF/C2", "BJF/C1", "BJF/C2", "BJF/C9", "BJF/C3"};
  std::vector<absl::StatusOr<std::string>> keys = store->KeysFor(subjects);
  ASSERT_EQ(keys.size(), 5u);
  ASSERT_THAT(keys[0].status(), testing::IsOk());
  EXPECT_EQ(keys[0]->size(), kAeadKeySize);
  EXPECT_THAT(keys[1], testing::IsOkAndHolds(c1));
  EXPECT_THAT(keys[2], testing::IsOkAndHolds(*keys[0]));  // made once, answered twice
  EXPECT_THAT(keys[3].status(), testing::StatusIs(absl::StatusCode::kFailedPrecondition, ::testing::HasSubstr("erased")));
  ASSERT_THAT(keys[4].status(), testing::IsOk());
  EXPECT_NE(*keys[4], *keys[0]);
  store.reset();
  store = Open(master_);  // written, durably
  EXPECT_THAT(store->Get("BJF/C2"), testing::IsOkAndHolds(*keys[0]));
  EXPECT_THAT(store->Get("BJF/C3"), testing::IsOkAndHolds(*keys[4]));
}

TEST_F(DataKeyStoreTest, ConcurrentCallersGetTheSameKey) {
  auto store = Open(master_);
  std::vector<std::string> keys(8);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) threads.emplace_back([&, t] { keys[t] = *store->KeyFor("BJF/C9"); });
  for (auto& t : threads) t.join();
  for (const std::string& k : keys) EXPECT_EQ(k, keys[0]);
}

TEST_F(DataKeyStoreTest, AnErasedKeyIsGoneFromEveryFileAndNeverComesBack) {
  auto store = Open(master_);
  ASSERT_THAT(store->KeyFor("BJF/C1"), IsOk());
  ASSERT_THAT(store->KeyFor("BJF/C2"), IsOk());
  const std::string sealed = StoredRecord("BJF/C1");
  ASSERT_GT(sealed.size(), kAeadNonceSize + kAeadKeySize);
  ASSERT_THAT(FilesHolding(sealed), ::testing::Not(::testing::IsEmpty()));  // in the write-ahead log
  // Reopened, the store has flushed its log into a table file: the key is in an SST now.
  store.reset();
  store = Open(master_);
  ASSERT_THAT(FilesHolding(sealed), ::testing::Contains(HasSubstr(".sst")));

  ASSERT_THAT(store->Erase("BJF/C1"), IsOk());
  EXPECT_THAT(FilesHolding(sealed), ::testing::IsEmpty());
  EXPECT_THAT(FilesHolding(sealed.substr(1, 20)), ::testing::IsEmpty());
  EXPECT_THAT(store->Get("BJF/C1"), StatusIs(absl::StatusCode::kFailedPrecondition,
                                             HasSubstr("the personal data of BJF/C1 was erased")));
  EXPECT_THAT(store->KeyFor("BJF/C1"), StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("was erased")));
  EXPECT_THAT(store->Erase("BJF/C1"), StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("was erased")));
  EXPECT_THAT(store->Erase("BJF/C7"), StatusIs(absl::StatusCode::kNotFound, HasSubstr("BJF/C7 has no data key")));
  EXPECT_THAT(store->Get("BJF/C2"), IsOk());  // the others stay
  store.reset();
  EXPECT_THAT(Open(master_)->Get("BJF/C1"), StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("was erased")));
  EXPECT_THAT(FilesHolding(sealed), ::testing::IsEmpty());
}

}  // namespace
}  // namespace salesledger
