"""The seed's metadata model: property types of every data type, a vocabulary, entity types.

Covers what pybis formats differently (VARCHAR, MULTILINE_VARCHAR, INTEGER, REAL,
BOOLEAN, DATE, TIMESTAMP, CONTROLLEDVOCABULARY) and one mandatory property, so clients
meet each rule openBIS applies to property values.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .model import EntityType, PropertyAssignment, PropertyType, Vocabulary, VocabularyTerm

if TYPE_CHECKING:
    from .store import OpenbisStore

BASE_DATE_MS = 1_704_103_200_000  # 2024-01-01 10:00 UTC


def seed_metadata_model(store: OpenbisStore) -> None:
    """Property types of every data type pybis formats, one vocabulary, and the entity types."""
    device_vocabulary = Vocabulary(
        "MEASUREMENT_DEVICE",
        "Instruments of the lab",
        registration_date=BASE_DATE_MS,
    )
    device_vocabulary.terms = [
        VocabularyTerm(
            code, label, f"A {label.lower()}", ordinal, "MEASUREMENT_DEVICE", BASE_DATE_MS
        )
        for ordinal, (code, label) in enumerate(
            [
                ("MICROSCOPE", "Microscope"),
                ("SPECTROMETER", "Spectrometer"),
                ("SEQUENCER", "Sequencer"),
            ],
            start=1,
        )
    ]
    store.vocabularies[device_vocabulary.code] = device_vocabulary

    def prop(code: str, label: str, data_type: str, description: str, vocabulary=None):
        property_type = PropertyType(code, label, description, data_type, vocabulary, BASE_DATE_MS)
        store.property_types[code] = property_type
        return property_type

    name = prop("$NAME", "Name", "VARCHAR", "Name")
    description = prop("DESCRIPTION", "Description", "MULTILINE_VARCHAR", "Free text")
    notes = prop("NOTES", "Notes", "MULTILINE_VARCHAR", "Notes")
    count = prop("SAMPLE_COUNT", "Number of samples", "INTEGER", "How many samples")
    temperature = prop("TEMPERATURE", "Temperature (°C)", "REAL", "Temperature in Celsius")
    calibrated = prop("IS_CALIBRATED", "Calibrated", "BOOLEAN", "Was the device calibrated")
    measured_on = prop("MEASURED_ON", "Measured on", "TIMESTAMP", "When it was measured")
    prop("START_DATE", "Start date", "DATE", "Day the work started")
    device = prop("DEVICE", "Device", "CONTROLLEDVOCABULARY", "Instrument", device_vocabulary)

    def entity_type(kind: str, code: str, description_text: str, assigned, prefix="S"):
        assignments = [
            PropertyAssignment(property_type, mandatory, ordinal, "General")
            for ordinal, (property_type, mandatory) in enumerate(assigned, start=1)
        ]
        store.types[kind][code] = EntityType(
            kind, code, description_text, assignments, prefix, BASE_DATE_MS
        )

    entity_type(
        "SAMPLE", "BIO_SAMPLE", "A biological sample", [(name, False), (count, False)], "BIO"
    )
    entity_type(
        "SAMPLE",
        "EXPERIMENTAL_STEP",
        "One step of an experiment",
        [(name, False), (description, False), (temperature, False)],
        "EXP",
    )
    entity_type("EXPERIMENT", "COLLECTION", "A collection of objects", [(name, False)])
    entity_type(
        "EXPERIMENT",
        "DEFAULT_EXPERIMENT",
        "An experiment",
        [(name, False), (description, False), (store.property_types["START_DATE"], False)],
    )
    entity_type(
        "DATA_SET",
        "RAW_DATA",
        "Data as the instrument wrote it",
        [
            (name, False),
            (device, False),
            (measured_on, False),
            (temperature, False),
            (calibrated, False),
        ],
    )
    entity_type(
        "DATA_SET",
        "PROCESSED_DATA",
        "Data after processing",
        [(name, False), (count, False), (description, False)],
    )
    entity_type(
        "DATA_SET", "ANALYZED_DATA", "Results of an analysis", [(name, True), (notes, False)]
    )
