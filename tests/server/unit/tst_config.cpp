// hoistd's command line and config file (docs/protocol.md, "Running hoistd"): every flag,
// safe defaults, flags over file values, and a message for everything it refuses
// (main turns that into exit status 2).
#include "config.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace hoist;

namespace {
using Args = std::vector<std::string>;

Config parsed(const Args& args) {
    auto result = parseCommandLine(args);
    if (!result)
        qFatal("refused: %s", result.error().c_str());
    return result->config;
}

std::string refusal(const Args& args) {
    const auto result = parseCommandLine(args);
    return result ? std::string() : result.error();
}
} // namespace

class TestConfig final : public QObject {
    Q_OBJECT

  private slots:
    void init();
    void defaults();
    void dataDirFallsBackToHome();
    void everyFlag();
    void equalsForm();
    void s3Options();
    void credentialsComeFromTheEnvironment();
    void tokensAreRepeatable();
    void configFile();
    void flagsOverrideTheConfigFile();
    void tokensFile();
    void helpAndVersion();
    void refusals_data();
    void refusals();
    void configFileRefusalsNameTheLine();

  private:
    std::string writeFile(const QString& name, const QByteArray& text);
    QTemporaryDir m_dir;
};

std::string TestConfig::writeFile(const QString& name, const QByteArray& text) {
    QFile file(m_dir.filePath(name));
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size())
        qFatal("cannot write %s", qPrintable(file.fileName()));
    return file.fileName().toStdString();
}

void TestConfig::init() {
    QVERIFY(m_dir.isValid());
    qputenv("XDG_DATA_HOME", "/var/tmp/xdg");
    qunsetenv("AWS_ACCESS_KEY_ID");
    qunsetenv("AWS_SECRET_ACCESS_KEY");
    qunsetenv("AWS_SESSION_TOKEN");
}

void TestConfig::defaults() {
    const auto result = parseCommandLine({});
    QVERIFY(result);
    QCOMPARE(result->action, CommandLine::Action::Serve);
    const Config& c = result->config;
    QCOMPARE(c.listenHost, "127.0.0.1");
    QCOMPARE(c.listenPort, 8080);
    QCOMPARE(c.dataDir, "/var/tmp/xdg/hoistd");
    QVERIFY(c.tokens.empty());
    QCOMPARE(c.maxSize, std::int64_t{1} << 40);
    QCOMPARE(c.sessionTtlSeconds, std::int64_t{86400});
    QCOMPARE(c.sweepIntervalSeconds, std::int64_t{1800});
    QCOMPARE(c.storage, "disk");
    QVERIFY(c.finalizeUrl.empty());
    QVERIFY(c.allowTypes.empty());
    QVERIFY(c.tlsCert.empty());
    QVERIFY(c.metricsToken.empty());
    QCOMPARE(c.logLevel, LogLevel::Info);
    QCOMPARE(c.shareLinkTtlSeconds, std::int64_t{7 * 86400});
    QCOMPARE(c.shareLinkMaxTtlSeconds, std::int64_t{30 * 86400});
}

void TestConfig::dataDirFallsBackToHome() {
    qunsetenv("XDG_DATA_HOME");
    const QByteArray home = qgetenv("HOME");
    qputenv("HOME", "/home/someone");
    const Config c = parsed({});
    qputenv("HOME", home);
    QCOMPARE(c.dataDir, "/home/someone/.local/share/hoistd");
}

void TestConfig::everyFlag() {
    const Config c = parsed({"--listen",
                             "0.0.0.0:0",
                             "--data-dir",
                             "/srv/hoist",
                             "--token",
                             "secret:alice",
                             "--max-size",
                             "10G",
                             "--session-ttl",
                             "3600",
                             "--sweep-interval",
                             "60",
                             "--finalize-url",
                             "https://app.example/hooks/upload",
                             "--finalize-secret",
                             "whsec_c2VjcmV0",
                             "--allow-types",
                             "image/png, video/mp4,,",
                             "--tls-cert",
                             "/etc/hoist/cert.pem",
                             "--tls-key",
                             "/etc/hoist/key.pem",
                             "--metrics-token",
                             "scrape",
                             "--log-level",
                             "debug",
                             "--public-url",
                             "https://files.example",
                             "--threads",
                             "8",
                             "--read-timeout",
                             "7",
                             "--finalize-timeout",
                             "4",
                             "--finalize-workers",
                             "3",
                             "--share-link-ttl",
                             "600",
                             "--share-link-max-ttl",
                             "86400"});
    QCOMPARE(c.listenHost, "0.0.0.0");
    QCOMPARE(c.listenPort, 0);
    QCOMPARE(c.dataDir, "/srv/hoist");
    QCOMPARE(c.tokens, (std::map<std::string, std::string>{{"secret", "alice"}}));
    QCOMPARE(c.maxSize, std::int64_t{10} << 30);
    QCOMPARE(c.sessionTtlSeconds, std::int64_t{3600});
    QCOMPARE(c.sweepIntervalSeconds, std::int64_t{60});
    QCOMPARE(c.finalizeUrl, "https://app.example/hooks/upload");
    QCOMPARE(c.finalizeSecret, "whsec_c2VjcmV0");
    QCOMPARE(c.allowTypes, (std::vector<std::string>{"image/png", "video/mp4"}));
    QCOMPARE(c.tlsCert, "/etc/hoist/cert.pem");
    QCOMPARE(c.tlsKey, "/etc/hoist/key.pem");
    QCOMPARE(c.metricsToken, "scrape");
    QCOMPARE(c.logLevel, LogLevel::Debug);
    QCOMPARE(c.publicUrl, "https://files.example");
    QCOMPARE(c.threads, std::size_t(8));
    QCOMPARE(c.readTimeoutSeconds, std::int64_t{7});
    QCOMPARE(c.shareLinkTtlSeconds, std::int64_t{600});
    QCOMPARE(c.shareLinkMaxTtlSeconds, std::int64_t{86400});
}

void TestConfig::equalsForm() {
    const Config c =
        parsed({"--listen=[::1]:9000", "--max-size=512M", "--token=t:u", "--log-level=warn"});
    QCOMPARE(c.listenHost, "::1");
    QCOMPARE(c.listenPort, 9000);
    QCOMPARE(c.maxSize, std::int64_t{512} << 20);
    QCOMPARE(c.tokens.at("t"), "u");
    QCOMPARE(c.logLevel, LogLevel::Warn);
}

void TestConfig::s3Options() {
    const Config c = parsed({"--storage", "s3", "--s3-endpoint", "http://127.0.0.1:9000",
                             "--s3-bucket", "uploads", "--s3-region", "eu-central-1", "--s3-prefix",
                             "staging-", "--s3-virtual-hosted"});
    QCOMPARE(c.storage, "s3");
    QCOMPARE(c.s3Endpoint, "http://127.0.0.1:9000");
    QCOMPARE(c.s3Bucket, "uploads");
    QCOMPARE(c.s3Region, "eu-central-1");
    QCOMPARE(c.s3Prefix, "staging-");
    QCOMPARE(c.s3PathStyle, false);
    QCOMPARE(parsed({"--s3-virtual-hosted", "--s3-path-style"}).s3PathStyle, true);
}

void TestConfig::credentialsComeFromTheEnvironment() {
    qputenv("AWS_ACCESS_KEY_ID", "AKIDENV");
    qputenv("AWS_SECRET_ACCESS_KEY", "env-secret");
    qputenv("AWS_SESSION_TOKEN", "env-session");
    const Config fromEnv = parsed({});
    QCOMPARE(fromEnv.s3AccessKeyId, "AKIDENV");
    QCOMPARE(fromEnv.s3SecretAccessKey, "env-secret");
    QCOMPARE(fromEnv.s3SessionToken, "env-session");
    // A configured key wins over the environment.
    const Config configured =
        parsed({"--s3-access-key-id", "AKIDFLAG", "--s3-secret-access-key", "flag-secret"});
    QCOMPARE(configured.s3AccessKeyId, "AKIDFLAG");
    QCOMPARE(configured.s3SecretAccessKey, "flag-secret");
}

void TestConfig::tokensAreRepeatable() {
    const Config c = parsed({"--token", "a:alice", "--token", "b:bob", "--token", "c:x:y"});
    QCOMPARE(c.tokens,
             (std::map<std::string, std::string>{{"a", "alice"}, {"b", "bob"}, {"c", "x:y"}}));
}

void TestConfig::configFile() {
    const std::string path = writeFile("hoistd.conf", "# hoistd configuration\n"
                                                      "\n"
                                                      "listen = 127.0.0.1:7070\n"
                                                      "  data-dir=/srv/data  \n"
                                                      "token = one:alice\n"
                                                      "token = two:bob\n"
                                                      "max-size = 2G\r\n"
                                                      "   # an indented comment\n"
                                                      "allow-types = image/jpeg,image/png\n"
                                                      "s3-path-style = false\n");
    const Config c = parsed({"--config", path});
    QCOMPARE(c.listenPort, 7070);
    QCOMPARE(c.dataDir, "/srv/data");
    QCOMPARE(c.tokens, (std::map<std::string, std::string>{{"one", "alice"}, {"two", "bob"}}));
    QCOMPARE(c.maxSize, std::int64_t{2} << 30);
    QCOMPARE(c.allowTypes, (std::vector<std::string>{"image/jpeg", "image/png"}));
    QCOMPARE(c.s3PathStyle, false);
}

void TestConfig::flagsOverrideTheConfigFile() {
    const std::string path = writeFile("hoistd.conf", "listen = 127.0.0.1:7070\n"
                                                      "session-ttl = 100\n"
                                                      "token = one:alice\n");
    // The flag comes first on the command line and still wins.
    const Config c =
        parsed({"--listen", "127.0.0.1:9090", "--config", path, "--token", "one:carol"});
    QCOMPARE(c.listenPort, 9090);
    QCOMPARE(c.sessionTtlSeconds, std::int64_t{100});
    QCOMPARE(c.tokens.at("one"), "carol");
}

void TestConfig::tokensFile() {
    const std::string path = writeFile("tokens", "# TOKEN USER\n"
                                                 "t-alice alice\n"
                                                 "\n"
                                                 "  t-bob\tbob  \n");
    const Config c = parsed({"--tokens-file", path, "--token", "t-carol:carol"});
    QCOMPARE(c.tokens, (std::map<std::string, std::string>{
                           {"t-alice", "alice"}, {"t-bob", "bob"}, {"t-carol", "carol"}}));
}

void TestConfig::helpAndVersion() {
    for (const Args& args : {Args{"--help"}, Args{"-h"}, Args{"--listen", "x:1", "--help"}}) {
        const auto result = parseCommandLine(args);
        QVERIFY(result);
        QCOMPARE(result->action, CommandLine::Action::Help);
    }
    const auto version = parseCommandLine({"--version"});
    QVERIFY(version);
    QCOMPARE(version->action, CommandLine::Action::Version);
    // Every flag of the contract is documented.
    const std::string usage = usageText();
    for (const char* flag : {"--listen",
                             "--data-dir",
                             "--token",
                             "--tokens-file",
                             "--max-size",
                             "--session-ttl",
                             "--sweep-interval",
                             "--storage",
                             "--s3-endpoint",
                             "--s3-bucket",
                             "--s3-region",
                             "--finalize-url",
                             "--finalize-secret",
                             "--allow-types",
                             "--tls-cert",
                             "--tls-key",
                             "--metrics-token",
                             "--metrics-public",
                             "--finalize-timeout",
                             "--finalize-workers",
                             "--log-level",
                             "--config"})
        QVERIFY2(usage.find(flag) != std::string::npos, flag);
}

void TestConfig::refusals_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("unknown flag") << QStringList{"--colour", "red"} << "--colour";
    QTest::newRow("positional") << QStringList{"serve"} << "serve";
    QTest::newRow("bare --") << QStringList{"--"} << "--";
    QTest::newRow("missing value") << QStringList{"--data-dir"} << "--data-dir";
    QTest::newRow("listen without port") << QStringList{"--listen", "localhost"} << "--listen";
    QTest::newRow("listen port too big") << QStringList{"--listen", "h:65536"} << "--listen";
    QTest::newRow("listen port not a number") << QStringList{"--listen", "h:http"} << "--listen";
    QTest::newRow("listen without host") << QStringList{"--listen", ":80"} << "--listen";
    QTest::newRow("max-size fraction") << QStringList{"--max-size", "1.5G"} << "--max-size";
    QTest::newRow("max-size zero") << QStringList{"--max-size", "0"} << "--max-size";
    QTest::newRow("max-size past 2^53") << QStringList{"--max-size", "9000T"} << "--max-size";
    QTest::newRow("ttl zero") << QStringList{"--session-ttl", "0"} << "--session-ttl";
    QTest::newRow("ttl negative") << QStringList{"--session-ttl=-5"} << "--session-ttl";
    QTest::newRow("sweep not a number")
        << QStringList{"--sweep-interval", "often"} << "--sweep-interval";
    QTest::newRow("storage") << QStringList{"--storage", "ftp"} << "--storage";
    QTest::newRow("log level") << QStringList{"--log-level", "verbose"} << "--log-level";
    QTest::newRow("threads") << QStringList{"--threads", "1"} << "--threads";
    QTest::newRow("token without user") << QStringList{"--token", "secret"} << "--token";
    QTest::newRow("token empty user") << QStringList{"--token", "secret:"} << "TOKEN:USER";
    QTest::newRow("token empty token") << QStringList{"--token", ":alice"} << "TOKEN:USER";
    QTest::newRow("switch with a value")
        << QStringList{"--s3-path-style=maybe"} << "--s3-path-style";
    QTest::newRow("cert without key") << QStringList{"--tls-cert", "c.pem"} << "--tls-key";
    QTest::newRow("secret without url")
        << QStringList{"--finalize-secret", "s"} << "--finalize-url";
    QTest::newRow("url not http") << QStringList{"--finalize-url", "ftp://x/", "--finalize-secret",
                                                 "s"}
                                  << "http";
    QTest::newRow("s3 without bucket")
        << QStringList{"--storage", "s3", "--s3-endpoint", "http://127.0.0.1:9000"}
        << "--s3-bucket";
    QTest::newRow("open metrics beyond loopback")
        << QStringList{"--listen", "0.0.0.0:8080"} << "--metrics-token";
    QTest::newRow("open metrics on IPv6 any")
        << QStringList{"--listen", "[::]:8080"} << "--metrics-public";
    QTest::newRow("finalize timeout zero")
        << QStringList{"--finalize-timeout", "0"} << "--finalize-timeout";
    QTest::newRow("finalize workers zero")
        << QStringList{"--finalize-workers", "0"} << "--finalize-workers";
    QTest::newRow("share link ttl zero")
        << QStringList{"--share-link-ttl", "0"} << "--share-link-ttl";
    QTest::newRow("share link default past the maximum")
        << QStringList{"--share-link-ttl", "7200", "--share-link-max-ttl", "3600"}
        << "--share-link-max-ttl";
    QTest::newRow("missing config file")
        << QStringList{"--config", "/nonexistent/hoistd.conf"} << "/nonexistent/hoistd.conf";
    QTest::newRow("missing tokens file")
        << QStringList{"--tokens-file", "/nonexistent/tokens"} << "/nonexistent/tokens";
}

void TestConfig::refusals() {
    QFETCH(QStringList, args);
    QFETCH(QString, mentions);
    Args argv;
    for (const QString& arg : args)
        argv.push_back(arg.toStdString());
    const std::string message = refusal(argv);
    QVERIFY2(!message.empty(), "accepted");
    QVERIFY2(message.find(mentions.toStdString()) != std::string::npos, message.c_str());
}

void TestConfig::configFileRefusalsNameTheLine() {
    const std::string noEquals = writeFile("a.conf", "# comment\nlisten 127.0.0.1:1\n");
    QVERIFY(refusal({"--config", noEquals}).find(noEquals + ":2") != std::string::npos);
    const std::string badValue = writeFile("b.conf", "storage = disk\n\nmax-size = lots\n");
    const std::string message = refusal({"--config", badValue});
    QVERIFY2(message.find(badValue + ":3") != std::string::npos, message.c_str());
    QVERIFY2(message.find("--max-size") != std::string::npos, message.c_str());
    const std::string nested = writeFile("c.conf", "config = other.conf\n");
    QVERIFY(refusal({"--config", nested}).find(nested + ":1") != std::string::npos);
    const std::string unknown = writeFile("d.conf", "colour = red\n");
    QVERIFY(refusal({"--config", unknown}).find("colour") != std::string::npos);
    const std::string tokens = writeFile("tokens", "alice\n");
    QVERIFY(refusal({"--tokens-file", tokens}).find(tokens + ":1") != std::string::npos);
    const std::string extraField = writeFile("tokens2", "t alice extra\n");
    QVERIFY(refusal({"--tokens-file", extraField}).find(extraField + ":1") != std::string::npos);
}

QTEST_GUILESS_MAIN(TestConfig)
#include "tst_config.moc"
