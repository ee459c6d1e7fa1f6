#include "server_probe.h"

#include "http_client_pool.h"
#include "protocol_client.h"

#include <QNetworkAccessManager>
#include <QUuid>

#include <chrono>

namespace hoist {

namespace {

using Outcome = ServerProbe::Report::Outcome;
using Kind = ProtocolError::Kind;

// A person is waiting for the answer: give up sooner than an upload would.
constexpr std::chrono::milliseconds kProbeTimeout{8000};

ServerProbe::Report report(Outcome outcome, ProtocolError error = {}) {
    return ServerProbe::Report{outcome, std::move(error), {}};
}

bool isAddress(const QUrl& server) {
    return server.isValid() && !server.host().isEmpty() &&
           (server.scheme() == QLatin1String("http") || server.scheme() == QLatin1String("https"));
}

} // namespace

ServerProbe::ServerProbe(ProtocolClient& client) : m_client(client) {}

QCoro::Task<ServerProbe::Report> ServerProbe::run(bool haveToken) {
    const auto health = co_await m_client.checkHealth();
    if (!health) {
        const Kind kind = health.error().kind;
        const bool silent =
            kind == Kind::Network || kind == Kind::Timeout || kind == Kind::Cancelled;
        co_return report(silent ? Outcome::Unreachable : Outcome::NotAServer, health.error());
    }
    if (!haveToken)
        co_return report(Outcome::NoToken);
    const auto status =
        co_await m_client.sessionStatus(QUuid::createUuid().toString(QUuid::WithoutBraces));
    if (status || status.error().kind == Kind::NotFound)
        co_return report(Outcome::Ready);
    if (status.error().kind == Kind::Unauthorized)
        co_return report(Outcome::TokenRefused, status.error());
    co_return report(Outcome::RequestFailed, status.error());
}

QCoro::Task<ServerProbe::Report> ServerProbe::check(QUrl server, QString token, QString caFile,
                                                    Protocol protocol) {
    if (!isAddress(server))
        co_return report(Outcome::InvalidAddress);
    Settings connection;
    connection.token = token;
    connection.caFile = caFile;
    connection.transferTimeout = kProbeTimeout;
    QNetworkAccessManager network;
    HttpClientPool clients(network, nullptr, connection);
    QString problem;
    if (!clients.isConfigured(&problem))
        co_return Report{Outcome::UnusableCaFile, {}, problem};
    ServerProbe probe(*clients.clientFor(server, protocol));
    // A tus server may be open to anybody: its request is worth making without a token.
    co_return co_await probe.run(!token.isEmpty() || protocol == Protocol::Tus);
}

} // namespace hoist
