// certman_slb_deploy_tool: runs the alicloud-slb deployer on one stored bundle, for the integration tests
// (tests/integration/test_slb_deployer*.py), without the ACME side of certman.
//
//   certman_slb_deploy_tool --bundle FILE.json --certificate-name NAME --region R (--lb-name N | --lb-id ID)
//       [--port P]... [--endpoint URL] [--metadata-endpoint URL] [--access-key-id ID --secret-file F]
//       [--keep-previous N] [--timeout-ms N] [--base-delay-ms N] [--runs N] [--interval-ms N]
//
// Prints one line per run: "run N: ok changed=0|1 <detail>" or "run N: error <code>: <failure message>", then exits
// 0 when every run succeeded, 1 when one failed, 2 on bad arguments or configuration.
#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "certman/deploy/slb_deployer.hpp"
#include "certman/storage/bundle.hpp"

namespace {

using namespace certman;

struct args {
    std::map<std::string, std::string> one;
    std::vector<int> ports;
};

args parse(int argc, char** argv) {
    args a;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string k = argv[i];
        if (!k.starts_with("--")) throw std::invalid_argument("unexpected argument " + k);
        if (k == "--port") a.ports.push_back(std::stoi(argv[i + 1]));
        else a.one[k.substr(2)] = argv[i + 1];
    }
    if (argc % 2 == 0) throw std::invalid_argument("every option takes a value");
    return a;
}

std::string get(const args& a, const std::string& k, const std::string& def = "") {
    auto it = a.one.find(k);
    return it == a.one.end() ? def : it->second;
}

deploy::slb_deployer_options config_from(const args& a) {
    deploy::slb_deployer_options d;
    d.region = get(a, "region", "cn-hangzhou");
    d.load_balancer_name = get(a, "lb-name");
    d.load_balancer_id = get(a, "lb-id");
    if (!a.ports.empty()) d.listener_ports = a.ports;
    d.endpoint = get(a, "endpoint");
    d.metadata_endpoint = get(a, "metadata-endpoint");
    d.access_key_id = get(a, "access-key-id");
    d.access_key_secret_file = get(a, "secret-file");
    d.keep_previous = std::stoi(get(a, "keep-previous", "1"));
    return d;
}

boost::asio::awaitable<int> deploy_runs(deploy::deployer& dep, std::string name, storage::certificate_bundle bundle,
                                    int runs, std::chrono::milliseconds interval) {
    int failures = 0;
    for (int i = 1; i <= runs; ++i) {
        if (i > 1) {
            boost::asio::steady_timer t(co_await boost::asio::this_coro::executor, interval);
            co_await t.async_wait(boost::asio::use_awaitable);
        }
        auto r = co_await dep.deploy(name, bundle);
        if (r) std::cout << "run " << i << ": ok changed=" << r->changed << " " << r->detail << std::endl;
        else
            std::cout << "run " << i << ": error " << r.error().code().message() << ": " << r.error().message()
                      << std::endl;
        failures += r ? 0 : 1;
    }
    co_return failures ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
    spdlog::set_pattern("%L %v");
    args a;
    storage::certificate_bundle bundle;
    try {
        a = parse(argc, argv);
        std::ifstream in(get(a, "bundle"));
        std::stringstream text;
        text << in.rdbuf();
        auto b = storage::bundle_from_json(text.str());
        if (!b) throw std::invalid_argument("cannot read bundle " + get(a, "bundle"));
        bundle = std::move(*b);
    } catch (const std::exception& e) {
        std::cout << "usage error: " << e.what() << std::endl;
        return 2;
    }
    boost::asio::io_context ctx(1);
    deploy::slb_deployer_tuning opts;
    opts.request_timeout = std::chrono::milliseconds(std::stoi(get(a, "timeout-ms", "30000")));
    opts.retry.base_delay = std::chrono::milliseconds(std::stoi(get(a, "base-delay-ms", "1000")));
    std::unique_ptr<deploy::deployer> dep;
    try {
        dep = deploy::make_slb_deployer(ctx.get_executor(), "slb-test", config_from(a), opts);
    } catch (const std::invalid_argument& e) {
        std::cout << "config error: " << e.what() << std::endl;
        return 2;
    }
    int rc = 1;
    boost::asio::co_spawn(ctx,
                          deploy_runs(*dep, get(a, "certificate-name", "www"), bundle, std::stoi(get(a, "runs", "1")),
                                  std::chrono::milliseconds(std::stoi(get(a, "interval-ms", "0")))),
                          [&](std::exception_ptr e, int v) {
                              if (e) std::cout << "exception" << std::endl;
                              else rc = v;
                          });
    ctx.run();
    return rc;
}
