#include "gui_main.h"

#include "configuration.h"
#include "engine_host.h"
#include "english_plurals.h"
#include "first_run_dialog.h"
#include "hoist_version.h"
#include "main_window.h"
#include "queue_model.h"
#include "queue_store.h"
#include "single_instance.h"
#include "token_store.h"
#include "upload_engine.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QMessageBox>
#include <QSettings>
#include <QTimer>

#include <cstdio>
#include <cstring>

namespace {

enum { kUsageError = 2 };

struct GuiOptions {
    QString screenshot;
    int screenshotDelayMs = 0;
    QUrl server;
    QString token;
    QStringList paths;
};

std::optional<GuiOptions> parseGuiOptions(const QStringList& arguments, QString& error) {
    QCommandLineParser parser;
    const QCommandLineOption screenshot("screenshot", "render the window to FILE and exit", "FILE");
    const QCommandLineOption delay("screenshot-delay", "run this long first", "MS");
    const QCommandLineOption server("server", "server for this run", "URL");
    const QCommandLineOption token("token", "token for this run", "TOKEN");
    parser.addOptions({screenshot, delay, server, token});
    if (!parser.parse(arguments)) {
        error = parser.errorText();
        return std::nullopt;
    }
    GuiOptions options;
    options.screenshot = parser.value(screenshot);
    bool ok = true;
    if (parser.isSet(delay))
        options.screenshotDelayMs = parser.value(delay).toInt(&ok);
    if (!ok || options.screenshotDelayMs < 0) {
        error = QStringLiteral("--screenshot-delay wants milliseconds");
        return std::nullopt;
    }
    if (parser.isSet(server))
        options.server = QUrl::fromUserInput(parser.value(server));
    options.token = parser.value(token);
    for (const QString& path : parser.positionalArguments())
        options.paths << QFileInfo(path).absoluteFilePath();
    return options;
}

bool askTokenFallback(const QString& keychainError) {
    return QMessageBox::question(
               nullptr, QObject::tr("No Keychain Available"),
               QObject::tr("The token cannot be kept in a keychain: %1.\n\nKeep it in Hoist's "
                           "settings file instead? Anyone who can read your files can read it "
                           "there. Otherwise Hoist forgets it when it quits.")
                   .arg(keychainError),
               QMessageBox::Yes | QMessageBox::No, QMessageBox::No) == QMessageBox::Yes;
}

int saveScreenshot(hoist::MainWindow& window, hoist::EngineHost& host, const QString& path,
                   int delayMs) {
    window.setAttribute(Qt::WA_DontShowOnScreen);
    window.resize(1100, 520);
    window.show();
    const auto shoot = [&window, &host, path] {
        host.model().flush();
        window.summary().refresh();
        if (!window.grab().save(path, "PNG")) {
            std::fprintf(stderr, "hoist: cannot write %s\n", qPrintable(path));
            return 1;
        }
        return 0;
    };
    // Without a delay the picture is the queue as restored, before anything runs.
    if (delayMs == 0)
        return shoot();
    QTimer::singleShot(delayMs, &window, [shoot] { QCoreApplication::exit(shoot()); });
    return QApplication::exec();
}

} // namespace

bool wantsGui(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        for (const char* cli : {"upload", "status", "resume", "login", "ls", "get", "rm", "share",
                                "-h", "--help", "-v", "--version"}) {
            if (std::strcmp(argv[i], cli) == 0)
                return false;
        }
    }
    return true;
}

int runGui(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        // A screenshot never needs (or touches) a display.
        if (std::strncmp(argv[i], "--screenshot", 12) == 0 &&
            qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    QApplication app(argc, argv);
    hoist::EnglishPlurals plurals;
    QCoreApplication::installTranslator(&plurals);
    QCoreApplication::setOrganizationName(QStringLiteral("hoist"));
    QCoreApplication::setApplicationName(QStringLiteral("hoist"));
    QCoreApplication::setApplicationVersion(QStringLiteral(HOIST_VERSION));
    QGuiApplication::setApplicationDisplayName(QObject::tr("Hoist"));
    QGuiApplication::setDesktopFileName(QStringLiteral("hoist"));
    // The tray may keep the app running with no window: MainWindow decides when to quit.
    QApplication::setQuitOnLastWindowClosed(false);

    QString error;
    const auto options = parseGuiOptions(QCoreApplication::arguments(), error);
    if (!options) {
        std::fprintf(stderr, "hoist: %s\n", qPrintable(error));
        return kUsageError;
    }
    const bool screenshot = !options->screenshot.isEmpty();

    hoist::SingleInstance instance;
    if (!screenshot && instance.handOver(options->paths))
        return 0; // the running window took the files
    instance.listen();

    QSettings store;
    hoist::TokenStore tokens(store, QStringLiteral("hoist"));
    hoist::Configuration configuration(store, tokens, askTokenFallback);
    QCoro::waitFor(configuration.loadToken());
    configuration.overrideServer(options->server, options->token);
    if (!screenshot && !hoist::FirstRunDialog::runIfNeeded(
                           configuration, hoist::FirstRunDialog::defaultDevTokenFile()))
        return 0;

    hoist::EngineHost host(
        [](const hoist::Settings& settings) {
            return std::make_unique<hoist::UploadEngine>(settings,
                                                         hoist::QueueStore::defaultDirectory());
        },
        configuration.settings());
    hoist::MainWindow window(host, configuration, store);
    window.addPaths(options->paths);
    QObject::connect(&instance, &hoist::SingleInstance::filesReceived, &window,
                     [&window](const QStringList& paths) {
                         window.addPaths(paths);
                         window.showNormal();
                         window.raise();
                         window.activateWindow();
                     });
    if (screenshot)
        return saveScreenshot(window, host, options->screenshot, options->screenshotDelayMs);
    window.show();
    if (configuration.settings().token.isEmpty())
        QTimer::singleShot(0, &window, &hoist::MainWindow::openSettings);
    return QApplication::exec();
}
