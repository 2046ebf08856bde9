// certman_storage_torture: the writer and the checker of tests/integration/test_storage_crash.py.
//   certman_storage_torture write  ROOT PAIRS N   stores bundles forever, alternating between the N key/cert
//                                                 pairs PAIRS/key<i>.pem + PAIRS/cert<i>.pem, publishing each
//                                                 to live/ and taking/dropping a lease around it; meant to be
//                                                 killed with SIGKILL at a random instant.
//   certman_storage_torture verify ROOT PAIRS N   exits 0 when what a reader sees is consistent: the stored
//                                                 bundle (if any) holds key<i> with cert<i> for one i, the
//                                                 lease (if any) parses, every listed key loads, and
//                                                 live/torture/ (if any) holds one matching pair.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "certman/storage/dir_storage.hpp"
#include "certman/storage/keys.hpp"
#include "certman/storage/lease.hpp"
#include "certman/storage/live_export.hpp"
#include "support/run_coroutine.hpp"

namespace st = certman::storage;
using certman::test::run_coroutine;

namespace {

const std::string name = "torture";

struct pair_pem {
    std::string key, cert;
};

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    return {std::istreambuf_iterator<char>(in), {}};
}

std::vector<pair_pem> read_pairs(const std::string& dir, int n) {
    std::vector<pair_pem> out;
    for (int i = 0; i < n; ++i)
        out.push_back({slurp(dir + "/key" + std::to_string(i) + ".pem"), slurp(dir + "/cert" + std::to_string(i) + ".pem")});
    return out;
}

int fail(const std::string& why) {
    std::cerr << "INCONSISTENT: " << why << "\n";
    return 1;
}

int write_forever(const std::string& root, const std::vector<pair_pem>& pairs) {
    auto s = st::make_dir_storage(root);
    for (unsigned long i = 0;; ++i) {
        const auto& p = pairs[i % pairs.size()];
        auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
        st::lease l{st::lease_key(name), "torture-" + std::to_string(i), now + std::chrono::seconds(60)};
        if (!run_coroutine(s->create(l.key, st::lease_to_json(l)))) {
            run_coroutine(s->remove(l.key));
            run_coroutine(s->create(l.key, st::lease_to_json(l)));
        }
        st::certificate_bundle b;
        b.private_key_pem = p.key;
        b.certificate_pem = p.cert;
        b.names = {name};
        b.serial = std::to_string(i % pairs.size()) + "x" + std::to_string(i);
        b.obtained_at = now;
        if (auto r = run_coroutine(s->store(st::certificate_key(name), st::to_json(b))); !r)
            return std::cerr << r.error().message() << "\n", 2;
        if (auto r = st::publish_live(root, name, b); !r) return std::cerr << r.error().message() << "\n", 2;
        run_coroutine(s->remove(l.key));
        if (i == 0) std::cout << "first write done" << std::endl;
    }
}

// The index of the pair whose key is `key` and whose cert is `cert`, or -1.
int matching_pair(const std::vector<pair_pem>& pairs, const std::string& key, const std::string& cert) {
    for (std::size_t i = 0; i < pairs.size(); ++i)
        if (pairs[i].key == key && pairs[i].cert == cert) return static_cast<int>(i);
    return -1;
}

int verify_live(const std::string& root, const std::vector<pair_pem>& pairs) {
    std::string dir = root + "/live/" + name;
    std::ifstream probe(dir + "/privkey.pem");
    if (!probe) return 0;  // never published yet
    std::string key = slurp(dir + "/privkey.pem"), cert = slurp(dir + "/cert.pem");
    int i = matching_pair(pairs, key, cert);
    if (i < 0) return fail("live/" + name + " holds a key and a cert that do not belong together");
    if (slurp(dir + "/fullchain.pem") != cert || slurp(dir + "/combined.pem") != cert + key)
        return fail("live/" + name + " fullchain/combined disagree with cert/key");
    return 0;
}

int verify(const std::string& root, const std::vector<pair_pem>& pairs) {
    auto s = st::make_dir_storage(root);
    auto text = run_coroutine(s->load(st::certificate_key(name)));
    if (!text && text.error() != certman::errc::not_found) return fail("load: " + text.error().message());
    if (text) {
        auto b = st::bundle_from_json(*text);
        if (!b) return fail("stored bundle does not parse (torn write?)");
        if (matching_pair(pairs, b->private_key_pem, b->certificate_pem) < 0)
            return fail("stored bundle mixes two pairs");
    }
    auto lease_text = run_coroutine(s->load(st::lease_key(name)));
    if (lease_text && !st::lease_from_json(st::lease_key(name), *lease_text))
        return fail("lease document is torn: " + *lease_text);
    auto keys = run_coroutine(s->list(""));
    if (!keys) return fail("list: " + keys.error().message());
    for (const auto& k : *keys) {
        if (k != st::certificate_key(name) && k != st::lease_key(name)) return fail("unexpected key " + k);
    }
    return verify_live(root, pairs);
}

}  // namespace

int main(int argc, char** argv) try {
    if (argc != 5) {
        std::cerr << "usage: certman_storage_torture write|verify ROOT PAIRS N\n";
        return 2;
    }
    std::string mode = argv[1], root = argv[2];
    auto pairs = read_pairs(argv[3], std::stoi(argv[4]));
    if (mode == "write") return write_forever(root, pairs);
    if (mode == "verify") return verify(root, pairs);
    std::cerr << "unknown mode " << mode << "\n";
    return 2;
} catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 2;
}
