"""The spec's reference sample (60 promoters, 25 passives, 15 detractors) as the JSON result
shows it: module and API tests check the same figures (../shared/specs/nps.md)."""

REFERENCE_INTERVAL = {
    "method": "adjusted_wald",
    "confidence": 0.95,
    "centre": 43.6893,
    "lower": 29.3431,
    "upper": 58.0355,
    "margin": 14.3462,
    "clipped": False,
}
REFERENCE_WALD = {"lower": 30.4976, "upper": 59.5024, "margin": 14.5024, "se": 7.3993}
