// Android library packaging of the LoanSyncro Kotlin bindings. Documented, not built in CI
// (no Android SDK/NDK on the CI machine): see ../README.md.
pluginManagement {
    repositories { google(); mavenCentral(); gradlePluginPortal() }
}
dependencyResolutionManagement {
    repositories { google(); mavenCentral() }
}
rootProject.name = "loansyncro-android"
