"""Recording and replay: the cassette format (cassettes.py), the live re-record
(live.py) and the model swap it can record with (model_swap.py)."""
