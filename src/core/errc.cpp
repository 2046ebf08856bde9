#include "certman/core/errc.hpp"
#include <string>

namespace certman {
namespace {
class category_impl final : public boost::system::error_category {
public:
    const char* name() const noexcept override { return "certman"; }
    std::string message(int ev) const override {
        switch (static_cast<errc>(ev)) {
        case errc::ok: return "success";
        case errc::invalid_argument: return "invalid argument";
        case errc::not_found: return "not found";
        case errc::already_exists: return "already exists";
        case errc::io_error: return "I/O error";
        case errc::parse_error: return "parse error";
        case errc::protocol_error: return "protocol error";
        case errc::timeout: return "timed out";
        case errc::crypto_error: return "cryptographic operation failed";
        case errc::acme_problem: return "ACME server reported a problem";
        case errc::cloud_error: return "cloud API reported an error";
        case errc::config_error: return "invalid configuration";
        case errc::cancelled: return "cancelled";
        case errc::lease_lost: return "storage lease lost";
        case errc::unsupported: return "unsupported";
        case errc::corrupt_data: return "stored data is corrupt";
        }
        return "unknown certman error";
    }
};
}  // namespace

const boost::system::error_category& certman_category() noexcept {
    static const category_impl instance;
    return instance;
}
}  // namespace certman
