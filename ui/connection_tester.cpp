#include "connection_tester.h"

#include "http_protocol_client.h"

#include <QCoreApplication>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSslCertificate>

#include <QCoroNetworkReply>

#include <chrono>
#include <memory>

namespace hoist {

namespace {

constexpr std::chrono::milliseconds kTimeout{8000};

QString tr(const char* text) {
    return QCoreApplication::translate("ConnectionTester", text);
}

QCoro::Task<ConnectionTester::Report> checkHealth(QNetworkAccessManager& network, QUrl server,
                                                  QString caFile) {
    QUrl url = server;
    url.setPath(url.path().chopped(url.path().endsWith(QLatin1Char('/')) ? 1 : 0) +
                QStringLiteral("/healthz"));
    QNetworkRequest request(url);
    request.setTransferTimeout(static_cast<int>(kTimeout.count()));
    if (!caFile.isEmpty() && url.scheme() == QLatin1String("https")) {
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        ssl.addCaCertificates(QSslCertificate::fromPath(caFile, QSsl::Pem));
        request.setSslConfiguration(ssl);
    }
    std::unique_ptr<QNetworkReply> reply(network.get(request));
    co_await reply.get();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 0)
        co_return ConnectionTester::Report{
            false, tr("Cannot reach %1: %2.").arg(server.toDisplayString(), reply->errorString())};
    if (status != 200)
        co_return ConnectionTester::Report{
            false, tr("%1 answered HTTP %2 to a health check: is this a hoistd server?")
                       .arg(server.toDisplayString())
                       .arg(status)};
    co_return ConnectionTester::Report{true, {}};
}

} // namespace

QCoro::Task<ConnectionTester::Report> ConnectionTester::check(QUrl server, QString token,
                                                              QString caFile) {
    if (!server.isValid() || server.host().isEmpty() ||
        (server.scheme() != QLatin1String("http") && server.scheme() != QLatin1String("https")))
        co_return Report{false, tr("Enter a server address such as http://127.0.0.1:8080.")};

    QNetworkAccessManager network;
    const Report health = co_await checkHealth(network, server, caFile);
    if (!health.ok)
        co_return health;
    if (token.isEmpty())
        co_return Report{false, tr("The server is up. Enter a token to check it too.")};

    HttpProtocolClient::Options options;
    options.server = server;
    options.token = token;
    options.caFile = caFile;
    options.transferTimeout = kTimeout;
    HttpProtocolClient client(network, options);
    QString problem;
    if (!client.isConfigured(&problem))
        co_return Report{false, tr("The CA file cannot be used: %1.").arg(problem)};
    // Asking whether an empty file exists is the cheapest request that needs a token.
    const auto answer = co_await client.dedup(QString(64, QLatin1Char('0')), 0);
    if (answer)
        co_return Report{true, tr("Connected: the server is up and accepted the token.")};
    if (answer.error().kind == ProtocolError::Kind::Unauthorized)
        co_return Report{false, tr("The server is up, but it refused the token.")};
    co_return Report{false, tr("The server is up, but a request with the token failed: %1.")
                                .arg(answer.error().describe())};
}

} // namespace hoist
