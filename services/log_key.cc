#include "services/log_key.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "base/files.h"
#include "base/status_macros.h"

namespace salesledger {
namespace {

std::string KeyNameSafe(std::string text) {
  for (char& c : text) {
    if (c == ' ' || c == '+' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '-';
  }
  return text;
}

}  // namespace

std::string LogKeyPath(const std::string& data_dir) { return data_dir + "/" + kLogKeyFile; }

std::string DefaultLogName(const std::string& data_dir) {
  char host[256] = {};
  if (::gethostname(host, sizeof(host) - 1) != 0 || host[0] == '\0') std::snprintf(host, sizeof(host), "localhost");
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::weakly_canonical(data_dir, ec);
  if (ec) dir = data_dir;
  std::string base = dir.filename().string();
  if (base.empty()) base = dir.parent_path().filename().string();
  if (base.empty()) base = "data";
  return KeyNameSafe(absl::StrCat(host, "/salesledger/", base));
}

absl::StatusOr<note::Signer> ReadLogKey(const std::string& data_dir) {
  ASSIGN_OR_RETURN(std::string text, ReadSecretFile(LogKeyPath(data_dir)));
  absl::StatusOr<note::Signer> signer = note::ParseSignerKey(absl::StripAsciiWhitespace(text));
  if (!signer.ok()) {
    return absl::DataLossError(absl::StrCat(LogKeyPath(data_dir), " is not a signing key: ", signer.status().message()));
  }
  if (signer->type != note::kEd25519) {
    return absl::DataLossError(absl::StrCat(LogKeyPath(data_dir), " is a cosigner's key, not a log's"));
  }
  return signer;
}

absl::StatusOr<LogKey> LoadOrCreateLogKey(const std::string& data_dir, const std::string& name) {
  absl::StatusOr<note::Signer> stored = ReadLogKey(data_dir);
  if (stored.ok()) {
    if (!name.empty() && stored->name != name) {
      return absl::FailedPreconditionError(absl::StrCat(
          "this log is named '", stored->name, "' (", LogKeyPath(data_dir), "); --log-name '", name,
          "' differs, and a log's name cannot change: witnesses know it by that name. Leave --log-name out"));
    }
    return LogKey{*std::move(stored), false};
  }
  if (!absl::IsNotFound(stored.status())) return stored.status();
  const std::string origin = name.empty() ? DefaultLogName(data_dir) : name;
  if (absl::Status s = note::CheckKeyName(origin); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("--log-name '", origin, "': ", s.message()));
  }
  ASSIGN_OR_RETURN(note::Signer signer, note::NewSigner(origin, note::kEd25519));
  RETURN_IF_ERROR(WriteSecretFile(LogKeyPath(data_dir), signer.ToString() + "\n"));
  return LogKey{std::move(signer), true};
}

}  // namespace salesledger
