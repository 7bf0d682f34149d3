"""Profiles and jobs shaped like HrFlow's, for a fake HrFlow to hold, and keys in HrFlow's format."""
from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

# A profile or a job, as HrFlow's API returns it.
HrflowObject = dict[str, Any]


def hrflow_key(seed: object) -> str:
    """Deterministic 40-hex key, the format HrFlow uses for keys (KEY_REGEX)."""
    return hashlib.sha1(str(seed).encode()).hexdigest()


def _location(city: str, lat: float, lng: float) -> dict[str, Any]:
    return {"text": f"{city}, France", "lat": lat, "lng": lng,
            "fields": {"city": city, "country": "France", "postcode": None, "state": None,
                       "text": f"{city}, France"}}


def sample_profile(key: str, source_key: str, first_name: str = "Ada", last_name: str = "Lovelace",
                   email: str | None = "ada.lovelace@example.com", phone: str | None = "+33 6 12 34 56 78",
                   city: str = "Paris", reference: str | None = None, skills: Sequence[str] = ("Python", "SQL"),
                   **extra: Any) -> HrflowObject:
    """A profile shaped like HrFlow's Profile object (validates against
    ``hrflow.schemas.HrFlowProfile``). ``extra`` overrides top-level fields."""
    full = f"{first_name} {last_name}"
    summary = f"{full} is a data engineer with 6 years of experience."
    profile: HrflowObject = {
        "key": key, "reference": reference, "source": {"key": source_key, "name": "Fake source"},
        "archived_at": None, "created_at": "2024-01-15T09:30:00+0000",
        "updated_at": "2024-01-15T09:30:00+0000",
        "info": {"full_name": full, "first_name": first_name, "last_name": last_name,
                 "email": email, "phone": phone, "date_birth": None,
                 "location": _location(city, 48.8566, 2.3522),
                 "urls": [{"type": "linkedin", "url": f"https://www.linkedin.com/in/{first_name.lower()}"}],
                 "picture": None, "gender": None, "summary": summary},
        "text_language": "en", "text": f"{full}\n{email}\n{summary}",
        "experiences_duration": 6.0, "educations_duration": 2.0,
        "experiences": [{"key": hrflow_key(f"{key}-exp"), "company": "Analytical Engines Ltd",
                         "logo": None, "title": "Data Engineer", "description": "Built data pipelines.",
                         "location": _location(city, 48.8566, 2.3522),
                         "date_start": "2018-01-01T00:00:00", "date_end": None,
                         "skills": [{"name": s, "type": "hard", "value": None} for s in skills],
                         "certifications": [], "courses": [], "tasks": [], "languages": [],
                         "interests": []}],
        "educations": [{"key": hrflow_key(f"{key}-edu"), "school": "University of London",
                        "logo": None, "title": "MSc Mathematics", "description": None,
                        "location": _location("London", 51.5072, -0.1276),
                        "date_start": "2016-09-01T00:00:00", "date_end": "2018-06-30T00:00:00",
                        "skills": [], "certifications": [], "courses": [], "tasks": [],
                        "languages": [], "interests": []}],
        "attachments": [], "skills": [{"name": s, "type": "hard", "value": None} for s in skills],
        "languages": [{"name": "English", "value": None}], "certifications": [], "courses": [],
        "tasks": [{"name": "Data pipelines", "value": None}], "interests": [],
        "tags": [{"name": "status", "value": "active"}], "metadatas": [], "labels": [],
    }
    profile.update(extra)
    return profile


def sample_job(key: str, board_key: str, name: str = "Data Engineer", city: str = "Paris",
               reference: str | None = None, skills: Sequence[str] = ("Python", "Spark"),
               **extra: Any) -> HrflowObject:
    """A job shaped like HrFlow's Job object (validates against
    ``hrflow.schemas.HrFlowJob``). ``extra`` overrides top-level fields."""
    job: HrflowObject = {
        "key": key, "reference": reference, "board_key": board_key,
        "board": {"key": board_key, "name": "Fake board", "type": "api", "subtype": "python",
                  "environment": "production"},
        "name": name, "url": f"https://careers.example.com/jobs/{key[:8]}",
        "summary": f"We are hiring a {name} in {city}.",
        "location": _location(city, 48.8566, 2.3522),
        "sections": [{"name": "description", "title": "Description",
                      "description": f"As a {name} you will build reliable data products."}],
        "culture": None, "benefits": "Remote friendly", "responsibilities": None,
        "requirements": "3+ years of experience", "interviews": None,
        "skills": [{"name": s, "type": "hard", "value": None} for s in skills],
        "languages": [{"name": "English", "value": None}], "certifications": [], "courses": [],
        "tasks": [], "tags": [{"name": "contract", "value": "CDI"}], "metadatas": [],
        "ranges_float": [{"name": "salary", "value_min": 50000.0, "value_max": 65000.0, "unit": "EUR"}],
        "ranges_date": [], "archived_at": None,
        "created_at": "2024-01-10T08:00:00+0000", "updated_at": "2024-01-10T08:00:00+0000",
    }
    job.update(extra)
    return job
