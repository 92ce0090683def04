"""Till: prices and totals in whole cents."""
