"""The real pybis browses the sandbox openBIS: spaces to datasets, filters, paging, types.

Runs against the shared sandbox process (the `rol_sandbox` fixture), whose data other tests
may add to: assertions check that every result satisfies its filter and that known seed
entities are present, never exact totals that an upload elsewhere could change.
"""

from __future__ import annotations

from pybis import Openbis

IMAGING = "/LAB_A/MICROSCOPY/IMAGING_2024"
CULTURE = "/LAB_A/MICROSCOPY/CULTURE_1"
STAINED = "/LAB_A/MICROSCOPY/STAINED_1"


def test_spaces_and_projects(o: Openbis) -> None:
    # When pybis lists spaces and the projects of one space
    spaces = o.get_spaces().df
    projects = o.get_projects(space="LAB_A").df
    # Then the seed lab is there and the project filter holds
    assert {"LAB_A", "LAB_B"} <= set(spaces["code"])
    assert set(projects["identifier"]) == {"/LAB_A/MICROSCOPY", "/LAB_A/SEQUENCING"}
    assert o.get_space("LAB_B").description == "Computational group"
    assert o.get_project("/LAB_A/MICROSCOPY").code == "MICROSCOPY"


def test_experiments_by_project_and_type(o: Openbis) -> None:
    # When pybis filters collections by project and by type
    in_project = o.get_experiments(project="/LAB_A/MICROSCOPY").df
    collections = o.get_experiments(type="COLLECTION").df
    # Then each filter holds
    assert set(in_project["identifier"]) >= {IMAGING, "/LAB_A/MICROSCOPY/CALIBRATION"}
    assert all(i.startswith("/LAB_A/MICROSCOPY/") for i in in_project["identifier"])
    assert set(collections["type"]) == {"COLLECTION"}
    # And one experiment comes back with its typed properties
    experiment = o.get_experiment(IMAGING)
    assert experiment.type.code == "DEFAULT_EXPERIMENT"
    assert experiment.props["$name"] == "Imaging 2024"


def test_samples_with_parents_and_children(o: Openbis) -> None:
    # When pybis filters objects by collection and type
    samples = o.get_samples(experiment=IMAGING, type="BIO_SAMPLE").df
    # Then only matching objects come back
    assert list(samples["identifier"]) == [CULTURE]
    # And one object knows its relations and properties
    stained = o.get_sample(STAINED)
    assert stained.parents == [CULTURE]
    assert o.get_sample(CULTURE).children == [STAINED]
    assert stained.props["temperature"] == "37.0"
    assert stained.experiment.identifier == IMAGING


def test_dataset_filters(o: Openbis) -> None:
    # When pybis filters datasets by type, collection, object, space, project and properties
    raw = o.get_datasets(type="RAW_DATA").df
    in_imaging = o.get_datasets(experiment=IMAGING).df
    of_sample = o.get_datasets(sample=STAINED).df
    in_lab_b = o.get_datasets(space="LAB_B", attrs=["experiment"]).df
    in_project = o.get_datasets(project="/LAB_A/SEQUENCING").df
    spectrometer = o.get_datasets(type="RAW_DATA", props=["device"], DEVICE="SPECTROMETER").df
    warm = o.get_datasets(where={"TEMPERATURE": ">=22"}, props=["temperature"]).df
    archived = o.get_datasets(status="ARCHIVED").df
    tagged = o.get_datasets(tags="IMPORTANT").df
    # Then every result satisfies its filter, and none is empty
    for frame in (raw, in_imaging, of_sample, in_lab_b, in_project, spectrometer, warm, archived):
        assert len(frame) > 0
    assert set(raw["type"]) == {"RAW_DATA"}
    assert set(in_imaging["experiment"]) == {IMAGING}
    assert set(of_sample["sample"]) == {STAINED}
    assert all(e.startswith("/LAB_B/") for e in in_lab_b["experiment"])
    assert all(e.startswith("/LAB_A/SEQUENCING/") for e in in_project["experiment"])
    assert set(spectrometer["DEVICE"]) == {"SPECTROMETER"}
    assert all(float(t) >= 22 for t in warm["TEMPERATURE"])
    assert set(archived["status"]) == {"ARCHIVED"}
    assert len(tagged) == 2


def test_dataset_paging_reports_the_total(o: Openbis) -> None:
    # Given all RAW_DATA datasets
    everything = o.get_datasets(type="RAW_DATA")
    # When pybis asks for a page of three, starting at the second
    page = o.get_datasets(type="RAW_DATA", start_with=1, count=3)
    # Then the page holds three datasets in the same order and the total is unchanged
    assert page.totalCount == everything.totalCount == len(everything.df)
    assert list(page.df["permId"]) == list(everything.df["permId"])[1:4]


def test_get_dataset_with_relations(o: Openbis) -> None:
    # Given a processed dataset (it has a raw parent and an analysis child)
    processed = o.get_datasets(type="PROCESSED_DATA", count=1).df["permId"][0]
    # When pybis fetches it
    dataset = o.get_dataset(processed)
    # Then type, parents, children, physical data and data store are there
    assert dataset.type.code == "PROCESSED_DATA"
    assert len(dataset.parents) == 1
    assert o.get_dataset(dataset.parents[0]).type.code == "RAW_DATA"
    assert dataset.children
    assert dataset.physicalData.status == "AVAILABLE"
    assert dataset.physicalData.size > 0
    assert dataset.data["dataStore"]["downloadUrl"] == o.url
    assert int(dataset.props["sample_count"]) > 0
    # And a list of permIds comes back as a table of those datasets
    assert set(o.get_dataset([processed, dataset.parents[0]]).df["permId"]) == {
        processed,
        dataset.parents[0],
    }


def test_types_with_property_assignments(o: Openbis) -> None:
    # When pybis lists dataset and object types
    dataset_types = o.get_dataset_types().df
    sample_types = o.get_sample_types().df
    # Then the seed types are there
    assert {"RAW_DATA", "PROCESSED_DATA", "ANALYZED_DATA"} <= set(dataset_types["code"])
    assert {"BIO_SAMPLE", "EXPERIMENTAL_STEP"} <= set(sample_types["code"])
    # And a type's property assignments carry code, data type and mandatory flag
    assignments = o.get_dataset_type("RAW_DATA").get_property_assignments().df
    data_types = dict(zip(assignments["code"], assignments["dataType"], strict=True))
    assert data_types == {
        "$NAME": "VARCHAR",
        "DEVICE": "CONTROLLEDVOCABULARY",
        "MEASURED_ON": "TIMESTAMP",
        "TEMPERATURE": "REAL",
        "IS_CALIBRATED": "BOOLEAN",
    }
    step = o.get_sample_type("EXPERIMENTAL_STEP").get_property_assignments().df
    assert set(step["code"]) == {"$NAME", "DESCRIPTION", "TEMPERATURE"}
    analyzed = o.get_dataset_type("ANALYZED_DATA").get_property_assignments().df
    assert dict(zip(analyzed["code"], analyzed["mandatory"], strict=True))["$NAME"]


def test_vocabulary_and_property_types(o: Openbis) -> None:
    # When pybis reads the controlled vocabulary behind the DEVICE property
    device = o.get_property_type("DEVICE")
    terms = o.get_vocabulary(device.vocabulary).get_terms().df
    # Then label, data type and terms are there
    assert device.label == "Device"
    assert device.dataType == "CONTROLLEDVOCABULARY"
    assert list(terms["code"]) == ["MICROSCOPE", "SPECTROMETER", "SEQUENCER"]
    # And every data type the issue names is modelled
    data_types = set(o.get_property_types().df["dataType"])
    assert {"VARCHAR", "INTEGER", "REAL", "BOOLEAN", "DATE", "TIMESTAMP"} <= data_types
    assert "MULTILINE_VARCHAR" in data_types


def test_relation_filters_and_navigation(o: Openbis) -> None:
    # Given a raw dataset and one processed from it
    processed = o.get_datasets(type="PROCESSED_DATA", count=1).df["permId"][0]
    raw = o.get_dataset(processed).parents[0]
    # When pybis filters by parents and children, Then each finds the other
    assert processed in set(o.get_datasets(withParents=raw).df["permId"])
    assert raw in set(o.get_datasets(withChildren=processed).df["permId"])
    assert list(o.get_samples(withParents=CULTURE).df["identifier"]) == [STAINED]
    # And space filters reach through projects (criteria sent as a nested dict)
    assert set(o.get_samples(space="LAB_B").df["identifier"]) == {"/LAB_B/SIMULATION/SETUP_1"}
    assert "/LAB_B/SIMULATION/SWEEP_01" in set(o.get_experiments(space="LAB_B").df["identifier"])
    # And objects lead to their children, datasets and containers
    assert len(o.get_sample(STAINED).get_datasets().df) >= 2
    assert len(o.get_experiment(IMAGING).get_samples().df) == 2
    assert len(o.get_project("/LAB_A/MICROSCOPY").get_experiments().df) >= 2
    assert len(o.get_space("LAB_A").get_projects().df) == 2


def test_property_comparisons_wildcards_and_dates(o: Openbis) -> None:
    # When pybis compares dates, matches wildcards and asks for every property column
    later = o.get_datasets(where={"MEASURED_ON": ">2024-02-04"}, props=["measured_on"]).df
    named = o.get_datasets(where={"$NAME": "Raw*"}, props=["$name"]).df
    everything = o.get_datasets(type="RAW_DATA", props="*").df
    # Then each holds
    assert len(later) >= 4 and all(v >= "2024-02-04" for v in later["MEASURED_ON"])
    assert len(named) >= 8 and all(v.startswith("Raw") for v in named["$NAME"])
    assert {"$NAME", "DEVICE", "TEMPERATURE"} <= set(everything.columns)


def test_tags_vocabularies_persons_and_data_stores(o: Openbis) -> None:
    assert list(o.get_tags().df["code"]) == ["IMPORTANT"]
    assert o.get_tag("/alice/IMPORTANT").code == "IMPORTANT"
    assert list(o.get_vocabularies().df["code"]) == ["MEASUREMENT_DEVICE"]
    assert o.get_term("MICROSCOPE", "MEASUREMENT_DEVICE").label == "Microscope"
    assert {"admin", "alice"} <= set(o.get_persons().df["userId"])
    assert o.get_person("alice", only_data=True)["email"] == "alice@example.org"
    stores = o.get_datastores()
    assert list(stores["code"]) == ["DSS1"] and list(stores["downloadUrl"]) == [o.url]
    assert o.get_session_info().userName == "alice"
