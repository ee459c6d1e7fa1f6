#include "guarded_stream.h"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace hoist {

namespace {
// A body is received in large pieces, so a gigabyte costs 4,096 receives instead of
// 65,536 (measured on loopback: +3-5 % for one 1 GiB upload; bench/README.md). Heads
// stay small, and an idle keep-alive connection holds no buffer at all.
constexpr std::size_t headReceiveSize = 16 * 1024;
constexpr std::size_t bodyReceiveSize = 256 * 1024;

int millisecondsUntil(Clock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return static_cast<int>(std::clamp<std::int64_t>(left, 0, 60 * 60 * 1000));
}

void addressOf(const sockaddr_storage& address, socklen_t length, std::string& ip, int& port) {
    char host[NI_MAXHOST] = {};
    char service[NI_MAXSERV] = {};
    if (::getnameinfo(reinterpret_cast<const sockaddr*>(&address), length, host, sizeof host,
                      service, sizeof service, NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
        ip = host;
        port = std::atoi(service);
    }
}
} // namespace

StopSignal::StopSignal() {
    if (::pipe2(m_pipe, O_CLOEXEC) != 0)
        m_pipe[0] = m_pipe[1] = -1;
}

StopSignal::~StopSignal() {
    for (const int fd : m_pipe)
        if (fd >= 0)
            ::close(fd);
}

void StopSignal::raise(std::chrono::milliseconds grace) {
    if (m_raised.exchange(true))
        return;
    m_graceEnd = (Clock::now() + grace).time_since_epoch().count();
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(m_pipe[1], &byte, 1);
}

Clock::time_point StopSignal::graceEnd() const {
    return Clock::time_point(Clock::duration(m_graceEnd.load()));
}

GuardedStream::GuardedStream(socket_t socket, Transport& transport, const StreamLimits& limits,
                             const StopSignal& stop)
    : m_socket(socket), m_transport(transport), m_limits(limits), m_stop(stop) {}

void GuardedStream::beginRequest() {
    m_phase = Phase::Head;
    m_failure = Failure::None;
    m_phaseStart = Clock::now();
    m_headBytes = 0;
    m_headLines = 0;
    m_lineLength = 0;
    m_lineIsCr = false;
    if (m_position == m_size) {
        m_buffer.reset();
        m_capacity = m_size = m_position = 0;
    }
}

void GuardedStream::startBodyClock() {
    m_phaseStart = m_lastBodyBytes = Clock::now();
    m_windowWaited = {};
    m_windowBytes = 0;
}

Clock::time_point GuardedStream::readDeadline() const {
    if (m_phase == Phase::Head)
        return m_phaseStart + m_limits.headerTimeout;
    auto deadline =
        std::min({m_phaseStart + m_limits.bodyTimeout, m_lastBodyBytes + m_limits.bodyStall,
                  Clock::now() + (m_limits.bodyRateWindow - m_windowWaited)});
    if (m_stop.raised())
        deadline = std::min(deadline, m_stop.graceEnd());
    return deadline;
}

// A body slower than bodyMinRate over a whole window fails; a faster one starts a new
// window. Averaging over a window lets a body pause (a client's disk, a TCP stall)
// without letting a trickle hold its session for long (docs/admin.md "Security").
bool GuardedStream::windowFailed() {
    if (m_windowWaited < m_limits.bodyRateWindow)
        return false;
    const auto windowSeconds =
        std::chrono::duration_cast<std::chrono::milliseconds>(m_limits.bodyRateWindow).count() /
        1000.0;
    if (static_cast<double>(m_windowBytes) <
        static_cast<double>(m_limits.bodyMinRate) * windowSeconds)
        return true;
    m_windowWaited = {};
    m_windowBytes = 0;
    return false;
}

ssize_t GuardedStream::fail(Failure failure) {
    m_failure = failure;
    return -1;
}

bool GuardedStream::stopWith(Failure failure) {
    m_failure = failure;
    return false;
}

std::optional<GuardedStream::Failure> GuardedStream::deadlineFailure(Clock::time_point now) {
    if (m_phase == Phase::Head)
        return now >= readDeadline() ? std::optional(Failure::HeadTimeout) : std::nullopt;
    if (m_stop.raised() && now >= m_stop.graceEnd())
        return Failure::Stopped;
    if (now >= m_phaseStart + m_limits.bodyTimeout || now >= m_lastBodyBytes + m_limits.bodyStall)
        return Failure::BodyTimeout;
    if (windowFailed())
        return Failure::BodyTooSlow;
    return std::nullopt;
}

bool GuardedStream::handshake() {
    for (;;) {
        if (m_stop.raised())
            return stopWith(Failure::Stopped);
        const TransportStep step = m_transport.handshake();
        if (step.bytes > 0)
            return true;
        if (step.waitFor == 0)
            return false;
        pollfd fds[2] = {{m_socket, step.waitFor, 0}, {m_stop.fd(), POLLIN, 0}};
        const int ready = ::poll(fds, 2, millisecondsUntil(readDeadline()));
        if (ready == 0)
            return stopWith(Failure::HeadTimeout);
        if (ready < 0 && errno != EINTR)
            return false;
    }
}

bool GuardedStream::fill() {
    short events = POLLIN;
    // While a body streams in, its bytes are usually there already: receive first and
    // wait only when there is nothing (one system call per piece instead of two).
    bool receiveFirst = m_phase == Phase::Body;
    for (;;) {
        const bool waitingForHead = m_phase == Phase::Head;
        // A stopping server takes no new request; a body in flight has the grace period.
        if (waitingForHead && m_stop.raised())
            return stopWith(Failure::Stopped);
        if (!receiveFirst && !m_transport.buffered()) {
            pollfd fds[2] = {{m_socket, events, 0}, {m_stop.fd(), POLLIN, 0}};
            const auto waitStart = Clock::now();
            const int ready =
                ::poll(fds, waitingForHead ? 2 : 1, millisecondsUntil(readDeadline()));
            const auto now = Clock::now();
            if (!waitingForHead)
                m_windowWaited += now - waitStart;
            if (ready < 0 && errno == EINTR)
                continue;
            if (ready < 0) {
                m_eof = true;
                return false;
            }
            if (ready == 0) {
                if (const auto failure = deadlineFailure(now))
                    return stopWith(*failure);
                continue;
            }
            if (!(fds[0].revents & (events | POLLHUP | POLLERR)))
                continue; // the stop pipe: checked at the top
        }
        receiveFirst = false;
        reserve(m_phase == Phase::Body ? bodyReceiveSize : headReceiveSize);
        const TransportStep step =
            m_transport.receive(m_buffer.get() + m_size, m_capacity - m_size);
        if (step.waitFor != 0) {
            events = step.waitFor;
            continue;
        }
        if (step.bytes <= 0) {
            m_eof = true;
            return false;
        }
        m_size += static_cast<std::size_t>(step.bytes);
        if (m_phase == Phase::Body) {
            m_lastBodyBytes = Clock::now();
            m_windowBytes += step.bytes;
            if (windowFailed())
                return stopWith(Failure::BodyTooSlow);
        }
        return true;
    }
}

void GuardedStream::reserve(std::size_t room) {
    if (m_capacity - m_size >= room)
        return;
    auto grown = std::make_unique_for_overwrite<char[]>(m_size + room);
    std::copy_n(m_buffer.get(), m_size, grown.get());
    m_buffer = std::move(grown);
    m_capacity = m_size + room;
}

bool GuardedStream::is_readable() const {
    return m_position < m_size || !m_eof;
}

bool GuardedStream::is_writable() const {
    pollfd fd{m_socket, POLLOUT, 0};
    return ::poll(&fd, 1, static_cast<int>(m_limits.writeTimeout.count())) > 0 &&
           (fd.revents & POLLOUT);
}

std::span<const char> GuardedStream::receiveBody(std::size_t size) {
    if (m_failure != Failure::None || m_phase != Phase::Body)
        return {};
    if (m_position == m_size) {
        m_size = m_position = 0;
        if (!fill())
            return {};
    }
    const std::size_t n = std::min(size, m_size - m_position);
    const std::span<const char> piece(m_buffer.get() + m_position, n);
    m_position += n;
    return piece;
}

ssize_t GuardedStream::read(char* ptr, size_t size) {
    if (m_failure == Failure::RequestLineTooLong)
        return 0;
    if (m_phase == Phase::Body) {
        const auto piece = receiveBody(size);
        std::copy_n(piece.data(), piece.size(), ptr);
        return piece.empty() && m_failure != Failure::None ? -1
                                                           : static_cast<ssize_t>(piece.size());
    }
    if (m_failure != Failure::None)
        return -1;
    if (m_position == m_size) {
        m_size = m_position = 0;
        if (!fill())
            return m_failure == Failure::None ? 0 : -1;
    }
    const std::size_t available = m_size - m_position;
    // The head is handed out up to its blank line and no further, so the body phase
    // (and its deadlines) starts exactly where httplib starts reading the body.
    std::size_t n = 0;
    while (n < size && n < available && m_phase == Phase::Head) {
        const char c = m_buffer[m_position + n];
        ptr[n++] = c;
        ++m_headBytes;
        ++m_lineLength;
        if (c == '\n') {
            const bool blank = m_lineIsCr && m_lineLength == 2;
            ++m_headLines;
            m_lineLength = 0;
            m_lineIsCr = false;
            if (blank && m_headLines > 1) {
                m_phase = Phase::Body;
                startBodyClock();
            }
        } else {
            m_lineIsCr = m_lineLength == 1 && c == '\r';
        }
        // httplib reads the request line to its end before it measures it: an endless
        // line is ended here (as if the peer closed), and httplib answers 414.
        if (m_headLines == 0 && m_lineLength > m_limits.maxRequestLineBytes) {
            m_failure = Failure::RequestLineTooLong;
            m_position += n;
            return static_cast<ssize_t>(n);
        }
        if (m_headBytes > m_limits.maxHeaderBytes || m_headLines > m_limits.maxHeaderLines + 1)
            return fail(Failure::HeadTooLarge);
    }
    m_position += n;
    return static_cast<ssize_t>(n);
}

ssize_t GuardedStream::write(const char* ptr, size_t size) {
    auto deadline = Clock::now() + m_limits.writeTimeout;
    if (m_stop.raised())
        deadline = std::min(deadline, std::max(m_stop.graceEnd(), Clock::now()));
    for (;;) {
        const TransportStep step = m_transport.send(ptr, size);
        if (step.bytes > 0)
            return step.bytes;
        if (step.waitFor == 0)
            return -1;
        pollfd fd{m_socket, step.waitFor, 0};
        const int ready = ::poll(&fd, 1, millisecondsUntil(deadline));
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready <= 0)
            return -1;
    }
}

void GuardedStream::get_remote_ip_and_port(std::string& ip, int& port) const {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getpeername(m_socket, reinterpret_cast<sockaddr*>(&address), &length) == 0)
        addressOf(address, length, ip, port);
}

void GuardedStream::get_local_ip_and_port(std::string& ip, int& port) const {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getsockname(m_socket, reinterpret_cast<sockaddr*>(&address), &length) == 0)
        addressOf(address, length, ip, port);
}

} // namespace hoist
