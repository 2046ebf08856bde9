// Static credentials for oss_storage (contract in oss_credentials.hpp).
#include "oss_credentials.hpp"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace certman::storage {
namespace {

std::string trim(std::string s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

std::string read_secret_file(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        throw std::runtime_error("[storage] access_key_secret_file " + path + ": cannot be read");
    if (st.st_mode & 077)
        throw std::runtime_error("[storage] access_key_secret_file " + path +
                                 " is accessible by group or others: chmod 600 it");
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    auto secret = trim(ss.str());
    if (!in || secret.empty()) throw std::runtime_error("[storage] access_key_secret_file " + path + " is empty");
    return secret;
}

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? std::string(v) : std::string();
}

}  // namespace

cloud::alibaba::credentials_source make_oss_credentials(boost::asio::any_io_executor, const app::storage_config& config) {
    cloud::alibaba::credentials key;
    if (!config.access_key_id.empty()) {
        key.access_key_id = config.access_key_id;
        key.access_key_secret = read_secret_file(config.access_key_secret_file);
    } else {
        key.access_key_id = env("ALIBABA_CLOUD_ACCESS_KEY_ID");
        key.access_key_secret = env("ALIBABA_CLOUD_ACCESS_KEY_SECRET");
        key.security_token = env("ALIBABA_CLOUD_SECURITY_TOKEN");
        if (key.access_key_id.empty() || key.access_key_secret.empty())
            throw std::runtime_error("[storage] kind = \"oss\": no access key: set access_key_id and "
                                     "access_key_secret_file, or ALIBABA_CLOUD_ACCESS_KEY_ID and "
                                     "ALIBABA_CLOUD_ACCESS_KEY_SECRET");
    }
    return [key]() -> boost::asio::awaitable<result<cloud::alibaba::credentials>> { co_return key; };
}

}  // namespace certman::storage
