//! Photo slots of an initiative (写真等).

use super::position_of;
use crate::error::Result;
use crate::identity::new_id;
use crate::model::{Initiative, Photo};
use crate::normalize::clean_text;

fn find(it: &Initiative, photo: &str) -> Result<usize> {
    position_of(&it.photos, photo, "写真", |p| p.id.as_deref())
}

/// A slot with a caption and, optionally, an image (checked when stored).
pub fn add_photo(
    it: &mut Initiative,
    caption: &str,
    media_type: Option<String>,
    data_base64: Option<String>,
) -> Result<()> {
    it.photos.push(Photo {
        id: Some(new_id()),
        caption: clean_text(caption).unwrap_or_default(),
        media_type,
        data_base64,
    });
    Ok(())
}

pub fn set_photo_caption(it: &mut Initiative, photo: &str, caption: &str) -> Result<()> {
    let i = find(it, photo)?;
    it.photos[i].caption = clean_text(caption).unwrap_or_default();
    Ok(())
}

pub fn delete_photo(it: &mut Initiative, photo: &str) -> Result<()> {
    let i = find(it, photo)?;
    it.photos.remove(i);
    Ok(())
}
