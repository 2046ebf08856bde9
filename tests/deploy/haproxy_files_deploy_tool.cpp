// Runs the haproxy or the files deployer once, for the integration tests:
//   certman_local_deploy_tool haproxy --socket S --crt-path P --cert F --key F [--chain F] [--timeout SEC]
//   certman_local_deploy_tool files --directory D [--owner U] [--group G] [--timeout SEC]
//                             --cert F --key F [--chain F] [-- RELOAD ARGV...]
// Prints one JSON line: {"ok":true,"changed":B,"detail":"..."} or {"ok":false,"error":"...","last_error":"..."}
// and exits 0 on success, 1 on a deploy failure, 2 on bad usage or configuration.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "certman/deploy/files_deployer.hpp"
#include "certman/deploy/haproxy_deployer.hpp"

namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::invalid_argument("cannot read " + path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

int main(int argc, char** argv) try {
    if (argc < 2) throw std::invalid_argument("usage: certman_local_deploy_tool haproxy|files --option value...");
    std::string kind = argv[1];
    std::map<std::string, std::string> opt;
    std::vector<std::string> reload_command;
    int i = 2;
    for (; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--") { ++i; break; }
        if (a.rfind("--", 0) != 0 || i + 1 >= argc) throw std::invalid_argument("bad argument " + a);
        opt[a.substr(2)] = argv[++i];
    }
    for (; i < argc; ++i) reload_command.push_back(argv[i]);
    const std::string name = "tool-" + kind;
    certman::deploy::haproxy_deployer_options haproxy;
    haproxy.socket = opt["socket"];
    haproxy.crt_path = opt["crt-path"];
    certman::deploy::files_deployer_options files;
    files.directory = opt["directory"];
    files.owner = opt["owner"];
    files.group = opt["group"];
    files.reload_command = reload_command;
    if (opt.count("timeout")) haproxy.timeout = files.timeout = std::chrono::seconds(std::stoi(opt["timeout"]));
    certman::storage::certificate_bundle bundle;
    bundle.certificate_pem = slurp(opt.at("cert"));
    bundle.private_key_pem = slurp(opt.at("key"));
    if (opt.count("chain")) bundle.chain_pem = slurp(opt["chain"]);

    boost::asio::io_context io;
    auto d = kind == "haproxy" ? certman::deploy::make_haproxy_deployer(io.get_executor(), name, haproxy)
             : kind == "files" ? certman::deploy::make_files_deployer(io.get_executor(), name, files)
                               : throw std::invalid_argument("unknown kind " + kind);
    certman::result<certman::deploy::deploy_outcome> outcome = certman::errc::cancelled;
    // Named, not a temporary: the coroutine keeps a reference to it until it completes, after co_spawn returns.
    const std::string certificate_name = "tool";
    boost::asio::co_spawn(io, d->deploy(certificate_name, bundle), [&](std::exception_ptr e, auto r) {
        if (e) std::rethrow_exception(e);
        outcome = std::move(r);
    });
    io.run();
    boost::json::object out;
    out["ok"] = outcome.has_value();
    if (outcome) {
        out["changed"] = outcome->changed;
        out["detail"] = outcome->detail;
    } else {
        out["error"] = outcome.error().code().message();
        out["last_error"] = outcome.error().message();
    }
    std::cout << boost::json::serialize(out) << "\n";
    return outcome ? 0 : 1;
} catch (const std::exception& e) {
    std::cout << boost::json::serialize(boost::json::object{{"ok", false}, {"error", e.what()}}) << "\n";
    return 2;
}
