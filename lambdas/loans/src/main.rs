//! The `/loans` Lambda: configuration from the environment, adapters built once per cold
//! start, the shared router run by `lambda_http`.

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    let router = match loansyncro_api::bootstrap::lambda_router(loansyncro_api::Routes::Loans).await
    {
        Ok(router) => router,
        Err(e) => {
            eprintln!("loans: {e}");
            std::process::exit(2);
        }
    };
    lambda_http::run(router).await
}
