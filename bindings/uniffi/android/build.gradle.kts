// Android library (AAR): the generated Kotlin sources + the native library for each ABI built
// with `cargo ndk` (see build-rust.sh). Not built in CI; see ../README.md.
plugins {
    id("com.android.library") version "8.5.2"
    id("org.jetbrains.kotlin.android") version "2.0.20"
}

android {
    namespace = "io.loansyncro"
    compileSdk = 34
    defaultConfig {
        minSdk = 26 // java.time.LocalDate without desugaring
        consumerProguardFiles("consumer-rules.pro")
    }
    sourceSets["main"].apply {
        java.srcDir("../generated/kotlin")
        jniLibs.srcDir("src/main/jniLibs") // filled by build-rust.sh
    }
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
    kotlinOptions { jvmTarget = "17" }
}

dependencies {
    // uniffi's Kotlin uses JNA; on Android take the AAR (it ships libjnidispatch per ABI).
    implementation("net.java.dev.jna:jna:5.13.0@aar")
}
