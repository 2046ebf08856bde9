// One accepted connection of the public/admin server: a non-blocking descriptor from accept4() that becomes an
// Asio socket only when the session first has to wait.
//
// Most connections a load balancer opens are one request, one response, close (health probes, ACME validation).
// Their request is already queued when the connection is accepted and their response fits the send buffer, so
// read_some()/write_some() serve them with plain recv()/send(): no reactor registration, no FIONBIO ioctl, no
// epoll_ctl, no TCP_NODELAY — accept4, recv, send, close. The first operation that would block returns
// asio::error::would_block; the session then calls promote() and continues with the Asio socket (registered with
// the reactor, cancellable by the server's sweeper) for the rest of the connection.
//
// read_some()/write_some() make this a Beast SyncReadStream/SyncWriteStream, so http::read() parses from it and
// stops with would_block when it needs more bytes; the parser and buffer keep their state for http::async_read().
//
// prefer_piggybacked_acks() below is the listener's side of the same economy.
//
// Nagle: the first response on a connection never waits (nothing is in flight), so TCP_NODELAY is set only before a
// second write (a pipelined or keep-alive answer), where Nagle could hold it back until the client's delayed ACK.
#pragma once
#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/system_error.hpp>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cerrno>
#include <optional>
#include <utility>

namespace certman::net {

class connection {
public:
    using tcp = boost::asio::ip::tcp;
    using error_code = boost::system::error_code;
    using executor_type = boost::asio::any_io_executor;

    connection(int fd, executor_type ex, tcp protocol) noexcept : fd_(fd), executor_(std::move(ex)), protocol_(protocol) {}
    connection(connection&& o) noexcept
        : fd_(std::exchange(o.fd_, -1)), executor_(o.executor_), protocol_(o.protocol_), socket_(std::move(o.socket_)),
          writes_(o.writes_), nodelay_(o.nodelay_) {}
    connection(const connection&) = delete;
    connection& operator=(const connection&) = delete;
    connection& operator=(connection&&) = delete;
    ~connection() { close(); }

    executor_type get_executor() const { return executor_; }
    bool promoted() const noexcept { return socket_.has_value(); }
    tcp::socket& socket() { return *socket_; }  // after promote()

    // Hands the descriptor to an Asio socket (registers it with the reactor). Idempotent.
    error_code promote() {
        error_code ec;
        if (socket_ || fd_ < 0) return ec;
        socket_.emplace(executor_);
        socket_->assign(protocol_, fd_, ec);
        if (ec) {
            socket_.reset();
            return ec;
        }
        fd_ = -1;
        return ec;
    }

    // Call before writing a response: from the second one on, disables Nagle (see above).
    void before_write() {
        if (writes_++ == 0 || nodelay_) return;
        nodelay_ = true;
        int one = 1;
        ::setsockopt(native_handle(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }

    // SyncReadStream: one recv() into the first non-empty buffer; would_block when nothing is queued.
    template <class MutableBufferSequence>
    std::size_t read_some(const MutableBufferSequence& buffers, error_code& ec) {
        for (auto it = boost::asio::buffer_sequence_begin(buffers); it != boost::asio::buffer_sequence_end(buffers); ++it) {
            boost::asio::mutable_buffer b = *it;
            if (b.size() == 0) continue;
            for (;;) {
                const ssize_t n = ::recv(native_handle(), b.data(), b.size(), 0);
                if (n > 0) { ec = {}; return static_cast<std::size_t>(n); }
                if (n == 0) { ec = boost::asio::error::eof; return 0; }
                if (errno == EINTR) continue;
                ec = error_code(errno, boost::asio::error::get_system_category());
                return 0;
            }
        }
        ec = {};
        return 0;
    }
    template <class MutableBufferSequence>
    std::size_t read_some(const MutableBufferSequence& buffers) {
        error_code ec;
        return or_throw(read_some(buffers, ec), ec);
    }

    // SyncWriteStream: one send() of the first non-empty buffer.
    template <class ConstBufferSequence>
    std::size_t write_some(const ConstBufferSequence& buffers, error_code& ec) {
        for (auto it = boost::asio::buffer_sequence_begin(buffers); it != boost::asio::buffer_sequence_end(buffers); ++it) {
            boost::asio::const_buffer b = *it;
            if (b.size() != 0) return send(b, false, ec);
        }
        ec = {};
        return 0;
    }

    // One send() (MSG_NOSIGNAL: a closed peer is EPIPE, not SIGPIPE). more = the connection closes right after
    // these bytes: MSG_MORE lets the kernel hold them until close(), which sends them with the FIN in one
    // segment — a `Connection: close` answer costs the client one segment (and one ACK) fewer.
    std::size_t send(boost::asio::const_buffer b, bool more, error_code& ec) {
        const int flags = MSG_NOSIGNAL | (more ? MSG_MORE : 0);
        for (;;) {
            const ssize_t n = ::send(native_handle(), b.data(), b.size(), flags);
            if (n >= 0) { ec = {}; return static_cast<std::size_t>(n); }
            if (errno == EINTR) continue;
            ec = error_code(errno, boost::asio::error::get_system_category());
            return 0;
        }
    }
    template <class ConstBufferSequence>
    std::size_t write_some(const ConstBufferSequence& buffers) {
        error_code ec;
        return or_throw(write_some(buffers, ec), ec);
    }

    void close() noexcept {
        if (socket_) {
            error_code ignored;
            socket_->close(ignored);
            socket_.reset();
        }
        if (fd_ >= 0) ::close(std::exchange(fd_, -1));
    }

private:
    static std::size_t or_throw(std::size_t n, const error_code& ec) {
        if (ec) throw boost::system::system_error(ec);
        return n;
    }
    int native_handle() noexcept { return socket_ ? socket_->native_handle() : fd_; }

    int fd_;
    executor_type executor_;
    tcp protocol_;
    std::optional<tcp::socket> socket_;
    unsigned writes_ = 0;
    bool nodelay_ = false;
};

// For a listening socket whose connections are request/response: turns Linux's quick-ACK mode off for the
// connections it accepts (they inherit it), so the ACK of a request rides on its answer instead of going out as a
// segment of its own (libowfat's socket_quickack(3) explains the idea). A probe costs 7 TCP segments instead of 8.
// The price: a client that writes one request in several small pieces with Nagle on may wait one delayed-ACK
// period (at most 40 ms) once; Linux leaves this mode when its delayed-ACK timer fires. Best effort: false if the
// option is not available, and nothing else changes.
inline bool prefer_piggybacked_acks(int listen_fd) noexcept {
    int off = 0;
    return ::setsockopt(listen_fd, IPPROTO_TCP, TCP_QUICKACK, &off, sizeof off) == 0;
}

inline bool would_block(const boost::system::error_code& ec) noexcept {
    return ec == boost::asio::error::would_block || ec == boost::asio::error::try_again;
}

}  // namespace certman::net
