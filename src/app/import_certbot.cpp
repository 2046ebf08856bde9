#include "certman/app/import_certbot.hpp"
#include <boost/json/parse.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include "certman/core/errc.hpp"
#include "certman/jose/jwk.hpp"

namespace certman::app {

result<std::string> read_import_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return failure{errc::io_error, "cannot read " + path + ": " + std::strerror(errno) +
                                           " (run certman import as root, or as a user that can read it)"};
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

result<import_files> read_certbot_live(const std::string& dir) {
    import_files f;
    const std::string base = dir.ends_with("/") ? dir : dir + "/";
    auto cert = read_import_file(base + "cert.pem");
    if (!cert) return cert.error();
    auto key = read_import_file(base + "privkey.pem");
    if (!key) return key.error();
    auto chain = read_import_file(base + "chain.pem");
    if (!chain) return chain.error();
    f.certificate_pem = std::move(*cert);
    f.private_key_pem = std::move(*key);
    f.chain_pem = std::move(*chain);
    return f;
}

std::string certbot_server_path(const std::string& directory_url) {
    auto scheme = directory_url.find("://");
    return scheme == std::string::npos ? directory_url : directory_url.substr(scheme + 3);
}

result<certbot_account> read_certbot_account(const std::string& dir, const std::string& directory_url) {
    std::string base = dir;
    while (base.size() > 1 && base.ends_with("/")) base.pop_back();
    const std::string expected = certbot_server_path(directory_url);
    if (auto at = base.rfind("/accounts/"); at != std::string::npos) {
        auto id = base.rfind('/');
        const std::string server = base.substr(at + 10, id > at + 10 ? id - at - 10 : 0);
        if (server != expected)
            return failure{errc::config_error,
                           base + " is certbot's account at https://" + server + ", but [acme] directory is " +
                               directory_url + ": import the account under accounts/" + expected +
                               "/, or set [acme] directory to the CA certbot used"};
    }
    auto key_text = read_import_file(base + "/private_key.json");
    if (!key_text) return key_text.error();
    auto regr_text = read_import_file(base + "/regr.json");
    if (!regr_text) return regr_text.error();
    boost::system::error_code ec;
    auto jwk = boost::json::parse(*key_text, ec);
    if (ec || !jwk.is_object())
        return failure{errc::parse_error,
                       base + "/private_key.json is not a JWK (JSON object); is this a certbot account directory?"};
    auto key = jose::private_key_from_jwk(jwk.get_object());
    if (!key)
        return failure{errc::parse_error,
                       base + "/private_key.json: " +
                           (key.error() == errc::unsupported
                                ? "the key type or size is not one certman uses (RSA 2048/3072/4096, EC P-256/P-384)"
                                : "not a private JWK (n, e, d ... or crv, x, y, d)")};
    auto regr = boost::json::parse(*regr_text, ec);
    const auto* uri = !ec && regr.is_object() ? regr.get_object().if_contains("uri") : nullptr;
    if (uri == nullptr || !uri->is_string() || uri->get_string().empty())
        return failure{errc::parse_error, base + "/regr.json has no account \"uri\"; is this a certbot account directory?"};
    return certbot_account{std::move(*key), std::string(uri->get_string())};
}

}  // namespace certman::app
