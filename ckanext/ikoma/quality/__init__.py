"""Metadata quality: data.europa.eu's MQA mapped onto DCAT-GoJ (mqa.py, pure), scored for every
public dataset with the link checker's results (score.py, links.py)."""
