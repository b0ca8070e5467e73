"""Game trees: sequential moves, chance, information sets and types."""
