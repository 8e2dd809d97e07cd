"""From news articles to incidents: readers, recognition, dates, events and the pipeline."""
