"""The portal as several processes: gunicorn instances, load, database faults."""
