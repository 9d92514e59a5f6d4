"""How each component kind of the model is named on pages and in diagrams."""

KIND_LABELS = {
    "repository": "Repository",
    "bot-account": "Bot account",
    "github-app": "GitHub App",
    "ci-provider": "CI provider",
    "web-service": "Web service",
    "scheduled-job": "Scheduled job",
    "channel": "Channel",
    "delivery-service": "Delivery service",
    "server": "Server",
    "token": "Token / credential",
    "organization": "Organisation",
    "team": "Team",
}
