"""Geography and data: gazetteer, toponym resolution, geocoders, the incident store and exports."""
