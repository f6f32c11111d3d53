"""The public side of pia: pages anyone may read without signing in.

comments.py (blueprint `public_comments`): the comment form on a publication open for comment and
the approved comments with the agency's responses; moderation.py (blueprint `comment_moderation`):
the agency officers' moderation queue and responses. Templates in templates/public_comments/.
"""
