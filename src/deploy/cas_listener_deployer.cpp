// The alicloud-alb / alicloud-nlb deployer (contract in include/certman/deploy/cas_listener_deployer.hpp;
// decisions in cas_listener_plan.cpp).
#include "certman/deploy/cas_listener_deployer.hpp"

#include <openssl/rand.h>
#include <spdlog/spdlog.h>

#include <array>
#include <random>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "certman/cloud/alibaba/cas_client.hpp"
#include "certman/cloud/alibaba/listener_api.hpp"
#include "certman/cloud/alibaba/nonce.hpp"
#include "certman/core/errc.hpp"
#include "certman/crypto/certificate.hpp"
#include "certman/deploy/cas_listener_plan.hpp"
#include "cas_cleanup.hpp"

namespace certman::deploy {
namespace ali = cloud::alibaba;
using boost::asio::awaitable;
using std::chrono::milliseconds;
using steady = std::chrono::steady_clock;

namespace {

// "1500 ms", "42 s": how long a wait lasted, for messages.
std::string elapsed(milliseconds d) {
    return d < milliseconds{10'000} ? std::to_string(d.count()) + " ms" : std::to_string(d.count() / 1000) + " s";
}

// What the listener serves after a pass: the CAS id, its CertIdentifier ("" when unchanged) and the listener.
struct serving {
    std::int64_t id = 0;
    std::string identifier;
    ali::listener_state listener;
};

struct prepared {
    std::string sha256;       // of the leaf's DER, lowercase hex
    std::string upload_name;  // cas_upload_name
};

class cas_listener_deployer final : public deployer {
public:
    cas_listener_deployer(boost::asio::any_io_executor ex, std::string name, std::string_view kind,
                          const cas_listener_options& cfg, std::shared_ptr<ali::cas_client> cas,
                          std::shared_ptr<ali::listener_api> listener, const cas_listener_tuning& tuning)
        : ex_(std::move(ex)), name_(std::move(name)), kind_(kind), cfg_(cfg), cas_(std::move(cas)),
          listener_(std::move(listener)), tuning_(tuning) {}

    const std::string& name() const override { return name_; }

    awaitable<result<deploy_outcome>> deploy(const std::string& certificate_name,
                                             const storage::certificate_bundle& bundle) override {
        auto r = co_await run(certificate_name, bundle);
        if (!r) spdlog::error("deployer {}: {}", name_, r.error().what());
        co_return r;
    }

private:
    // "<kind> <name>: <step> (listener <id>): <why>", the cause's code, Code and hint kept.
    failure fail(std::string_view step, const failure& cause) const {
        return cause.with_message(kind_ + " " + name_ + ": " + std::string(step) + " (listener " + cfg_.listener_id +
                                  ", region " + cfg_.region + "): " + cause.message());
    }
    failure fail(std::string_view step, std::string why, errc e) const { return fail(step, failure{e, std::move(why)}); }

    // A new ClientToken per update (ASCII, 36 characters, §3.5); rpc_client repeats it on its retries.
    static std::string fresh_token() {
        std::array<unsigned char, 16> b{};
        if (RAND_bytes(b.data(), static_cast<int>(b.size())) != 1) {
            std::random_device rd;
            for (auto& x : b) x = static_cast<unsigned char>(rd());
        }
        return ali::uuid_v4_from_bytes(b);
    }

    awaitable<void> sleep(milliseconds d) {
        boost::asio::steady_timer t(ex_, d);
        co_await t.async_wait(boost::asio::use_awaitable);
    }

    // Time since `start` on the steady clock: the waits below count the polls' own time too, so a service that
    // answers each poll slowly cannot stretch them past their bound.
    static milliseconds since(steady::time_point start) {
        return std::chrono::duration_cast<milliseconds>(steady::now() - start);
    }

    // Polls GetListenerAttribute until Running, for at most tuning_.listener_wait (wall clock) plus one poll.
    awaitable<result<ali::listener_state>> wait_running(ali::listener_state s, std::string_view step) {
        const auto start = steady::now();
        milliseconds delay = tuning_.first_poll;
        while (!s.running()) {
            if (since(start) >= tuning_.listener_wait)
                co_return fail(step, "ListenerStatus is still " + s.status + " after " + elapsed(since(start)),
                               errc::timeout);
            co_await sleep(delay);
            delay = std::min(delay * 2, tuning_.max_poll);
            auto again = co_await listener_->read_listener();
            if (!again) co_return fail(step, again.error());
            s = std::move(*again);
        }
        co_return s;
    }

    // Polls the job until Succeeded (Failed is an error), for at most tuning_.job_wait (wall clock) plus one poll.
    awaitable<result<void>> wait_job(const std::string& job_id) {
        const auto start = steady::now();
        milliseconds delay = tuning_.first_poll;
        for (;;) {
            auto j = co_await listener_->job(job_id);
            if (!j) co_return fail("wait for job " + job_id, j.error());
            if (j->status == ali::job_status::succeeded) co_return result<void>{};
            if (j->status == ali::job_status::failed)
                co_return fail("job " + job_id, failure{errc::cloud_error, "the update job failed: " +
                                   (j->error_code.empty() ? std::string("the service gives no reason") : j->error_code) +
                                   (j->error_message.empty() ? "" : " " + j->error_message)}
                                   .with_peer_code(j->error_code));
            if (since(start) >= tuning_.job_wait)
                co_return fail("wait for job " + job_id, "still processing after " + elapsed(since(start)),
                               errc::timeout);
            co_await sleep(delay);
            delay = std::min(delay * 2, tuning_.max_poll);
        }
    }

    // Uploads the bundle; on failure, one more look at CAS in case the upload was stored anyway.
    awaitable<result<std::int64_t>> upload(const prepared& p, const storage::certificate_bundle& bundle) {
        auto id = co_await cas_->upload(p.upload_name, bundle.fullchain_pem(), bundle.private_key_pem);
        if (id) {
            spdlog::info("deployer {}: uploaded certificate {} to CAS as {}", name_, p.upload_name, *id);
            co_return id;
        }
        auto again = co_await cas_->list_uploads();
        if (again)
            if (const auto* c = find_our_upload(*again, p.sha256, p.upload_name)) co_return c->id;
        co_return fail("upload " + p.upload_name + " to CAS", id.error());
    }

    // GetUserCertificateDetail → CertIdentifier; "<id>-<region>" when CAS leaves it empty (§2.3).
    awaitable<result<std::string>> identifier_of(std::int64_t id) {
        auto d = co_await cas_->detail(id);
        if (!d) co_return fail("read CAS certificate " + std::to_string(id), d.error());
        co_return d->identifier.empty() ? ali::cas_certificate_identifier(id, cfg_.region) : d->identifier;
    }

    // Points the listener at `id` and returns the listener as read back, serving it.
    awaitable<result<ali::listener_state>> point_listener(ali::listener_state s, std::int64_t id,
                                                          const std::string& identifier) {
        auto ready = co_await wait_running(std::move(s), "wait for the listener");
        if (!ready) co_return ready.error();
        auto job = co_await listener_->set_default_certificate(identifier, fresh_token());
        if (!job) co_return fail("update the listener's certificate to " + identifier, job.error());
        if (auto done = co_await wait_job(*job); !done) co_return done.error();
        auto back = co_await listener_->read_listener();
        if (!back) co_return fail("verify the listener", back.error());
        // The exact CertIdentifier, or the same CAS id (ALB/NLB may echo a bare id, §3.1, §4.1 [unverified]).
        if (back->certificate_ids.empty() || (back->certificate_ids.front() != identifier &&
                                              ali::cas_id_of(back->certificate_ids.front(), cfg_.region) != id))
            co_return fail("verify the listener",
                           "still serves " + (back->certificate_ids.empty() ? "no certificate" : back->certificate_ids.front()) +
                               " after being set to " + identifier,
                           errc::protocol_error);
        co_return std::move(*back);
    }

    result<prepared> prepare(const std::string& certificate_name, const storage::certificate_bundle& bundle) const {
        auto facts = crypto::inspect_certificate(bundle.certificate_pem);
        if (!facts)
            return fail("read certificate", "the stored leaf certificate does not parse", errc::parse_error);
        return prepared{facts->sha256_fingerprint,
                        cas_upload_name(cfg_.cert_name_prefix, certificate_name, facts->not_after, facts->serial_hex)};
    }

    // Uploads (or reuses) per `plan` and points the listener at it.
    awaitable<result<serving>> switch_listener(
        const prepared& p, const storage::certificate_bundle& bundle, const cas_listener_plan& plan,
        ali::listener_state state) {
        result<std::int64_t> id = plan.cert_id;
        if (plan.step == cas_listener_step::upload_and_point) id = co_await upload(p, bundle);
        if (!id) co_return id.error();
        auto identifier = co_await identifier_of(*id);
        if (!identifier) co_return identifier.error();
        auto back = co_await point_listener(std::move(state), *id, *identifier);
        if (!back) co_return back.error();
        co_return serving{*id, std::move(*identifier), std::move(*back)};
    }

    // Step 6 of the header: older certman uploads go, except what the listener references and keep_previous.
    awaitable<cas_cleanup_outcome> clean_up(const std::string& certificate_name, const prepared& p,
                                            const serving& now, std::vector<ali::cas_certificate> listed) {
        cas_cleanup_request r{name_, cfg_.cert_name_prefix, certificate_name, {now.id, p.upload_name, p.sha256, "", ""},
                              {}, cfg_.keep_previous};
        for (const auto& c : now.listener.certificate_ids)
            if (auto id = ali::cas_id_of(c, cfg_.region); id != 0) r.in_use.insert(id);
        co_return co_await delete_superseded_uploads(*cas_, std::move(listed), r);
    }

    awaitable<result<deploy_outcome>> run(const std::string& certificate_name,
                                          const storage::certificate_bundle& bundle) {
        auto p = prepare(certificate_name, bundle);
        if (!p) co_return p.error();
        auto state = co_await listener_->read_listener();
        if (!state) co_return fail("read the listener", state.error());
        auto uploads = co_await cas_->list_uploads();
        if (!uploads) co_return fail("list CAS certificates", uploads.error());
        const auto plan = plan_cas_listener(state->certificate_ids, *uploads, p->sha256, p->upload_name, cfg_.region);
        deploy_outcome out{false, "listener " + cfg_.listener_id + " already serves CAS certificate " +
                                      std::to_string(plan.cert_id)};
        serving now{plan.cert_id, {}, std::move(*state)};
        if (plan.step != cas_listener_step::already_deployed) {
            auto switched = co_await switch_listener(*p, bundle, plan, std::move(now.listener));
            if (!switched) co_return switched.error();
            now = std::move(*switched);
            out = {true, "listener " + cfg_.listener_id + " now serves CAS certificate " + now.identifier +
                             (plan.step == cas_listener_step::upload_and_point ? " (uploaded)" : " (reused)")};
        }
        const auto cleaned = co_await clean_up(certificate_name, *p, now, std::move(*uploads));
        if (cleaned.deleted > 0) out.detail += ", deleted " + std::to_string(cleaned.deleted) + " older CAS upload(s)";
        if (cleaned.failed > 0) out.detail += ", cleanup: " + std::to_string(cleaned.failed) + " warning(s)";
        if (out.changed || cleaned.deleted > 0) spdlog::info("deployer {}: {}", name_, out.detail);
        co_return out;
    }

    boost::asio::any_io_executor ex_;
    std::string name_, kind_;
    cas_listener_options cfg_;
    std::shared_ptr<ali::cas_client> cas_;
    std::shared_ptr<ali::listener_api> listener_;
    cas_listener_tuning tuning_;
};

}  // namespace

std::unique_ptr<deployer> make_cas_listener_deployer(boost::asio::any_io_executor executor, std::string name,
                                                     std::string_view kind, const cas_listener_options& config,
                                                     std::shared_ptr<ali::cas_client> cas,
                                                     std::shared_ptr<ali::listener_api> listener,
                                                     const cas_listener_tuning& tuning) {
    return std::make_unique<cas_listener_deployer>(std::move(executor), std::move(name), kind, config, std::move(cas),
                                                   std::move(listener), tuning);
}

}  // namespace certman::deploy
