#include "moto_server.h"

#include "http_client.h"
#include "s3_client.h"
#include "s3_xml.h"
#include "sigv4_signer.h"

#include <QDir>
#include <QElapsedTimer>
#include <QStandardPaths>
#include <QTcpServer>
#include <QThread>

namespace {

// Calls moto answers without a valid signature: CreateUser, CreateAccessKey,
// PutUserPolicy. Every later call must be signed like S3 wants.
constexpr int kFreeCalls = 3;

quint16 freeLoopbackPort() {
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

// moto picks the service a request is for from its credential scope, so even the
// free IAM calls carry a (made-up) signature for "iam".
std::optional<hoist::HttpResponse> iamCall(const QString& endpoint, const std::string& form) {
    const hoist::SigV4Signer signer({"boot", "boot", ""}, "us-east-1", "iam");
    const auto now = std::chrono::system_clock::now();
    const std::string host = endpoint.mid(QStringLiteral("http://").size()).toStdString();
    const std::string hash = hoist::SigV4Signer::sha256Hex(form);
    hoist::SigV4Request toSign{"POST",
                               "/",
                               {},
                               {{"host", host},
                                {"content-type", "application/x-www-form-urlencoded"},
                                {"x-amz-date", hoist::SigV4Signer::amzDate(now)}},
                               hash};
    hoist::HttpRequest request;
    request.method = "POST";
    request.url = endpoint.toStdString() + "/";
    request.headers = toSign.headers;
    request.headers.emplace_back("Authorization", signer.sign(toSign, now).authorization);
    request.body = form;
    hoist::HttpClient http;
    auto response = http.request(request);
    if (!response || response->status != 200) {
        return std::nullopt;
    }
    return *response;
}

std::string formEncode(const std::vector<std::pair<std::string, std::string>>& fields) {
    std::string out;
    for (const auto& [name, value] : fields) {
        out += (out.empty() ? "" : "&") + hoist::SigV4Signer::uriEncode(name, true) + "=" +
               hoist::SigV4Signer::uriEncode(value, true);
    }
    return out;
}

} // namespace

MotoServer::MotoServer(bool checkSignatures) : m_checkSignatures(checkSignatures) {}

MotoServer::~MotoServer() {
    stop();
}

QString MotoServer::executable() {
    const QString fromEnvironment = qEnvironmentVariable("MOTO_SERVER");
    if (!fromEnvironment.isEmpty()) {
        return fromEnvironment;
    }
    const QString onPath = QStandardPaths::findExecutable(QStringLiteral("moto_server"));
    if (!onPath.isEmpty()) {
        return onPath;
    }
    // CTest may run without the interactive shell's PATH, where pyenv's shims live.
    return QStandardPaths::findExecutable(QStringLiteral("moto_server"),
                                          {QDir::homePath() + QStringLiteral("/.pyenv/shims")});
}

QString MotoServer::endpoint() const {
    return QStringLiteral("http://127.0.0.1:%1").arg(m_port);
}

bool MotoServer::start(int timeoutMs) {
    const QString program = executable();
    if (program.isEmpty()) {
        m_error = QStringLiteral(
            "moto_server not found (set MOTO_SERVER, or put it on PATH: it comes from "
            "Python's moto[server], which Debian 12 does not package)");
        return false;
    }
    // The port is free when probed, not necessarily when moto binds it: try again.
    for (int attempt = 0; attempt < 3; ++attempt) {
        m_port = freeLoopbackPort();
        m_process = std::make_unique<QProcess>();
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        if (m_checkSignatures) {
            environment.insert(QStringLiteral("INITIAL_NO_AUTH_ACTION_COUNT"),
                               QString::number(kFreeCalls));
        }
        m_process->setProcessEnvironment(environment);
        m_logPath = QDir::temp().filePath(QStringLiteral("moto-%1.log").arg(m_port));
        m_process->setProcessChannelMode(QProcess::MergedChannels);
        m_process->setStandardOutputFile(m_logPath);
        m_process->start(program, {QStringLiteral("-H"), QStringLiteral("127.0.0.1"),
                                   QStringLiteral("-p"), QString::number(m_port)});
        if (!m_process->waitForStarted(10000)) {
            m_error = QStringLiteral("cannot start %1: %2").arg(program, m_process->errorString());
            return false;
        }
        if (waitUntilReady(timeoutMs)) {
            return !m_checkSignatures || createIamUser();
        }
        stop();
    }
    m_error = QStringLiteral("moto_server did not answer on 127.0.0.1 (see %1)").arg(m_logPath);
    return false;
}

bool MotoServer::waitUntilReady(int timeoutMs) {
    hoist::HttpClient http;
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs && m_process->state() == QProcess::Running) {
        hoist::HttpRequest request;
        request.url = endpoint().toStdString() + "/moto-api/";
        auto response = http.request(request);
        if (response && response->status == 200) {
            return true;
        }
        QThread::msleep(100);
    }
    return false;
}

bool MotoServer::createIamUser() {
    const QString at = endpoint();
    const std::string version = "2010-05-08";
    if (!iamCall(
            at,
            formEncode({{"Action", "CreateUser"}, {"UserName", "hoist"}, {"Version", version}}))) {
        m_error = QStringLiteral("moto: CreateUser failed");
        return false;
    }
    const auto key = iamCall(
        at,
        formEncode({{"Action", "CreateAccessKey"}, {"UserName", "hoist"}, {"Version", version}}));
    const auto policy = iamCall(
        at, formEncode({{"Action", "PutUserPolicy"},
                        {"UserName", "hoist"},
                        {"PolicyName", "all"},
                        {"PolicyDocument", R"({"Version":"2012-10-17","Statement":)"
                                           R"([{"Effect":"Allow","Action":"*","Resource":"*"}]})"},
                        {"Version", version}}));
    if (!key || !policy) {
        m_error = QStringLiteral("moto: CreateAccessKey or PutUserPolicy failed");
        return false;
    }
    m_accessKeyId =
        QString::fromStdString(hoist::s3xml::text(key->body, "AccessKeyId").value_or(""));
    m_secretAccessKey =
        QString::fromStdString(hoist::s3xml::text(key->body, "SecretAccessKey").value_or(""));
    return !m_accessKeyId.isEmpty() && !m_secretAccessKey.isEmpty();
}

void MotoServer::stop() {
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->terminate();
        if (!m_process->waitForFinished(5000)) {
            m_process->kill();
            m_process->waitForFinished(5000);
        }
    }
    m_process.reset();
}

bool MotoServer::createBucket(const QString& bucket) {
    const hoist::SigV4Signer signer(
        {m_accessKeyId.toStdString(), m_secretAccessKey.toStdString(), ""}, region().toStdString(),
        "s3");
    const auto now = std::chrono::system_clock::now();
    const std::string emptyHash = hoist::SigV4Signer::sha256Hex("");
    hoist::SigV4Request toSign{"PUT",
                               "/" + bucket.toStdString(),
                               {},
                               {{"host", QStringLiteral("127.0.0.1:%1").arg(m_port).toStdString()},
                                {"x-amz-content-sha256", emptyHash},
                                {"x-amz-date", hoist::SigV4Signer::amzDate(now)}},
                               emptyHash};
    hoist::HttpRequest request;
    request.method = "PUT";
    request.url = endpoint().toStdString() + hoist::SigV4Signer::uriEncode(toSign.path, false);
    request.headers = toSign.headers;
    request.headers.emplace_back("Authorization", signer.sign(toSign, now).authorization);
    hoist::HttpClient http;
    const auto response = http.request(request);
    return response && response->status == 200;
}

QStringList MotoServer::multipartUploads(const QString& bucket) const {
    hoist::S3Config config;
    config.endpoint = endpoint().toStdString();
    config.bucket = bucket.toStdString();
    config.region = region().toStdString();
    config.pathStyle = true;
    config.accessKeyId = m_accessKeyId.toStdString();
    config.secretAccessKey = m_secretAccessKey.toStdString();
    hoist::S3Client client(config);
    QStringList out;
    const auto uploads = client.listMultipartUploads("");
    if (!uploads) {
        out << QStringLiteral("error: ") + QString::fromStdString(uploads.error().describe());
        return out;
    }
    for (const auto& upload : *uploads) {
        out << QString::fromStdString(upload.key + " " + upload.uploadId);
    }
    return out;
}

QProcessEnvironment MotoServer::credentialsEnvironment() const {
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), m_accessKeyId);
    environment.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), m_secretAccessKey);
    environment.insert(QStringLiteral("AWS_DEFAULT_REGION"), region());
    environment.remove(QStringLiteral("AWS_SESSION_TOKEN"));
    return environment;
}
